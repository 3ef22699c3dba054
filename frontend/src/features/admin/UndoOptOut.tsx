import { useEffect, useId, useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { undoOptOut, type AdminOptOut, type AdminThread, type ThreadView } from '../../backend';
import { Modal } from '../../components/Modal';
import { keys } from '../../lib/queryKeys';
import { useBusyRetry } from '../../lib/useBusyRetry';
import { errorMessage, sentence } from '../../lib/format';
import { ConfirmFooter } from './ConfirmFooter';
import { When } from './When';
import { blockStays, optedOutLine } from './optOutWords';
import { useAdminThread, useIsAdmin, useStartToOptBackIn } from './hooks';

// Undo Opt Out: an organizer lifts an opt-out that a report filed by
// mistake (a volunteer's Opt Out on the wrong conversation). The server
// says which opt-outs may be (AdminOptOut.undoable: reports' alone); one
// the contact asked for stands until their START (Opt Back In).

/**
 * Under a conversation read in the Admin section (inAdmin), or open in the
 * inbox: the number's opt-out, and Undo Opt Out when a report filed it.
 * The dialog is this line's: a read conversation stays on screen while it
 * is open.
 */
export function OptOutLine({
  threadId,
  who,
  o,
  inAdmin = false,
  startAbove = false,
  blocked = false,
  onUndone,
}: {
  threadId: string;
  who: string;
  o: AdminOptOut;
  inAdmin?: boolean;
  /** In a conversation: the contact's START is said above, with Opt Back In. */
  startAbove?: boolean;
  /** A volunteer blocked the conversation (MessagesResponse.blocked): lifting the opt-out leaves the block. */
  blocked?: boolean;
  /** The line goes once undone, with the focused button: the reader puts focus elsewhere (OptOutUndone). */
  onUndone?: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const place: OptOutPlace = inAdmin ? 'admin' : startAbove ? 'conversation, START above' : 'conversation';
  return (
    <div className="admin-opt-out">
      <p className="small">
        {optedOutLine(o)} · <When at={o.at} />
        {!o.undoable && ` · ${whyNotUndoable(o, place)}`}
      </p>
      {blocked && <p className="small">{blockStays(who)}</p>}
      {o.undoable && (
        <p className="admin-actions">
          <button type="button" className="quiet small admin-mark" aria-haspopup="dialog" aria-label={`Undo Opt Out: ${who}`} onClick={() => setAsking(true)}>
            Undo Opt Out
          </button>
        </p>
      )}
      {asking && <UndoOptOutDialog threadId={threadId} who={who} o={o} onClose={() => setAsking(false)} onUndone={onUndone} />}
    </div>
  );
}

/**
 * Where an opt-out is shown: in a conversation of the inbox (which may say the contact's START above it, with Opt
 * Back In), or in the Admin section (its list of opt-outs, a conversation read there).
 */
export type OptOutPlace = 'admin' | 'conversation' | 'conversation, START above';

/**
 * Why an opt-out cannot be undone here (AdminOptOut.undoable false), in words for where it is shown. Where the
 * contact's START is, the server says (AdminOptOut.start): listed, or marked reviewed, Opt Back In is with it under
 * Opt-ins, in the same words wherever the line is, a conversation's naming the Admin section. Whole
 * sentences (the Opt-outs list, a conversation's opt-out line, in the inbox or the Admin section).
 */
export function whyNotUndoable(o: AdminOptOut, place: OptOutPlace): string {
  return `Cannot be undone here: ${why(o, place)}`;
}

function why(o: AdminOptOut, place: OptOutPlace): string {
  if (o.reportedIn) return `a report in a conversation of ${o.reportedIn} filed it. Its admins can read it there, and undo it if it was a mistake.`;
  const start = 'only their START can lift it.';
  // Pointing at the Admin section there read as if Opt Back In were still to come.
  if (place === 'conversation, START above') return `${start} They have texted START, and Opt Back In is above.`;
  // A conversation names the section, the Admin section's own lines need not: the same words otherwise.
  const optIns = place === 'conversation' ? 'in the Admin section, under Opt-ins' : 'under Opt-ins';
  switch (o.start) {
    case 'listed':
      return `${start} They have texted START, and Opt Back In is with it ${optIns}.`;
    case 'reviewed':
      // Came and marked reviewed, the number still opted out: no START is awaited, Opt Back In is still there.
      return `${start} They have texted START, since marked reviewed, and Opt Back In is with it ${optIns}, in Show reviewed.`;
    default:
      return `${start} If they text START, it is listed ${optIns}, with Opt Back In.`;
  }
}

/**
 * Where Undo Opt Out leaves focus: its line goes with the focused button, so focus goes to these words saying it
 * was undone, once the dialog has closed (its focus trap would take focus back). In the Admin section and the inbox.
 */
export function OptOutUndone({ who }: { who: string }) {
  const notice = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    const id = setTimeout(() => notice.current?.focus());
    return () => clearTimeout(id);
  }, []);
  return (
    <p className="small" tabIndex={-1} ref={notice}>
      Opt-out undone: {who} may be texted again.
    </p>
  );
}

/**
 * For an organizer holding an opted-out conversation (one a volunteer
 * handed them after turning Opt Out on by mistake): the opt-out's reason
 * and time, and Undo Opt Out when reports alone opted the number out, or
 * why it cannot be undone (a STOP: the organizer asked to undo it learns
 * why not before they try). Asks the server only then: a volunteer's
 * conversation, or one not opted out, asks nothing.
 */
export function UndoInConversation({ view }: { view: ThreadView }) {
  const t = view.thread;
  const admin = useIsAdmin(t.campaignId);
  const read = useAdminThread(t.campaignId, t.id, admin && t.optedOut);
  const o = read.data?.optOut;
  const start = useStartToOptBackIn(t.campaignId, t.id).optIn;
  // The conversation whose opt-out was undone here: its line is gone, and focus with it.
  const [undoneIn, setUndoneIn] = useState('');
  if (!admin) return null;
  if (undoneIn === t.id && !o) return <OptOutUndone who={t.contactName} />;
  // Said, not left out: without it the organizer reads no reason, no Undo Opt Out and no START, and cannot tell why.
  if (t.optedOut && read.isError)
    return (
      <p role="alert" className="error small">
        {sentence(`Could not load why ${t.contactName} is opted out: ${errorMessage(read.error)}`)}
      </p>
    );
  if (!t.optedOut || !o) return null;
  return <OptOutLine threadId={t.id} who={t.contactName} o={o} startAbove={!!start} onUndone={() => setUndoneIn(t.id)} />;
}

/**
 * Asks before Undo Opt Out, saying what it does: the organization's opt-out
 * of the number ends (its campaigns may text it again, the conversation's
 * volunteer can reply), in the organizer's name, and only for a report
 * filed by mistake.
 */
export function UndoOptOutDialog({
  threadId,
  who,
  o,
  onClose,
  onUndone,
}: {
  threadId: string;
  who: string;
  o: AdminOptOut;
  onClose: () => void;
  /** Runs once the dialog has closed after the undo (the list's row leaves with the focused button: focus to its section). */
  onUndone?: () => void;
}) {
  const { campaignId = '' } = useParams();
  const qc = useQueryClient();
  const m = useMutation({
    mutationFn: () => undoOptOut(campaignId, threadId, o.at),
    onSuccess: (read) => {
      qc.setQueryData<AdminThread>(keys.adminThread(campaignId, threadId), read);
      void qc.invalidateQueries({ queryKey: keys.admin(campaignId), exact: true });
      void qc.invalidateQueries({ queryKey: keys.adminOptOuts(campaignId) });
      onClose();
      onUndone?.();
    },
  });
  const retrying = useBusyRetry(m.isPending, 'undoOptOut', threadId);
  const what = useId();
  // The latest reply worded like a request to stop, said before the organizer decides: a volunteer's Opt
  // Out on such a reply was no mistake.
  const asked = useAdminThread(campaignId, threadId)
    .data?.messages.filter((msg) => msg.direction === 'in' && msg.likelyOptOut)
    .at(-1);
  return (
    <Modal title={`Undo the opt-out of ${who}?`} onClose={onClose} describedBy={what} className="undo-opt-out-dialog">
      <p id={what}>
        A report in a conversation of this campaign opted {who} out (<When at={o.at} />
        ). Undoing it lifts your organization's opt-out of their number: your organization's campaigns may text this number again,
        and whoever holds the conversation can reply. Do it only when the report was a mistake, never when {who} asked not to be
        texted.
      </p>
      {asked && (
        <p className="notice">
          {who} wrote “{asked.body}”, which reads like a request to stop texting them: if it was one, keep the opt-out.
        </p>
      )}
      <ul className="small">
        <li>The opt-out is kept, with your name and the time you undid it.</li>
        <li>The conversation gets a report in your name turning Opt Out off, and says who undid it and when.</li>
        <li>If they text STOP, or a volunteer files Opt Out again, they are opted out again.</li>
      </ul>
      <ConfirmFooter
        error={m.error}
        failed={`The opt-out of ${who} was not undone`}
        retrying={retrying}
        pending={m.isPending}
        confirm="Undo Opt Out"
        confirming="Undoing…"
        onConfirm={() => m.mutate()}
        onCancel={onClose}
      />
    </Modal>
  );
}
