import { useRef, useState, type FocusEvent, type FormEvent } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import type { ThreadView } from '../../backend';
import { errorMessage, plural, errorSentence, sentence } from '../../lib/format';
import { Modal } from '../../components/Modal';
import { useIsAdmin } from '../admin/hooks';
import { useAction } from '../campaigns/hooks';
import { useReassign, useReassignableCount, useReassignTargets } from './conversation';
import { GrowingTextarea } from '../../components/GrowingTextarea';

type Mode = 'one' | 'all';

/** The action whose conversations are handed over, and the one conversation when only one is. */
interface Handover {
  campaignId: string;
  actionId: string;
  actionTitle: string;
  threadId?: string;
  who?: string;
  /**
   * The note the conversation came with, when it was handed to this admin: handing it on starts
   * from it (who wrote it, then its words), so the next admin still reads what the volunteer asked.
   */
  cameWith?: string;
}

/** "Reassign Conversation" and "Reassign All Conversations": hand conversations to an organizer of the campaign. */
export function Reassign({ view }: { view: ThreadView }) {
  const [mode, setMode] = useState<Mode | null>(null);
  // Asked once per action (the dialog asks the same): with nobody to hand
  // to, two buttons opening a dialog that can do nothing become a line
  // saying so. Offline (the question fails) the buttons stay, and the
  // dialog says what is wrong; an answer of nobody that comes while it is
  // open is said in it, not by taking it from under the volunteer.
  const targets = useReassignTargets(view.thread.actionId, true);
  const admin = useIsAdmin(view.thread.campaignId);
  if (!mode && targets.isSuccess && targets.data.length === 0) {
    return (
      <p className="muted reassign-none">
        {admin ? 'Nobody to reassign to: you are the only organizer.' : 'Nobody to reassign to: this campaign has no organizer yet.'}
      </p>
    );
  }
  const handover: Handover = {
    campaignId: view.thread.campaignId,
    actionId: view.thread.actionId,
    actionTitle: view.actionTitle,
    threadId: view.thread.id,
    who: view.thread.contactName,
    cameWith: cameWith(view),
  };
  return (
    <>
      <button type="button" aria-haspopup="dialog" onClick={() => setMode('one')}>
        Reassign Conversation
      </button>
      <button type="button" aria-haspopup="dialog" onClick={() => setMode('all')}>
        Reassign All Conversations
      </button>
      {mode && <ReassignDialog handover={handover} mode={mode} onClose={() => setMode(null)} />}
    </>
  );
}

/** "Pat Volunteer: asks about mail ballots": the note a conversation handed to its holder came with, if any. */
function cameWith(view: ThreadView): string | undefined {
  const r = view.thread.reassigned;
  const note = r?.note?.trim();
  if (!note) return undefined;
  return r?.fromUserName ? `${r.fromUserName}: ${note}` : note;
}

/**
 * The action's own page offers Reassign All Conversations too: a volunteer
 * who can no longer keep up with an action hands it over from the action,
 * without first opening one of its conversations. Shown only while they
 * hold some and there is someone to take them.
 */
export function ReassignAllOfAction({ campaignId, actionId, actionTitle }: { campaignId: string; actionId: string; actionTitle: string }) {
  const [open, setOpen] = useState(false);
  const count = useReassignableCount(actionId, true);
  const targets = useReassignTargets(actionId, (count.data ?? 0) > 0);
  const n = count.data ?? 0;
  // Offline (who could take them cannot be asked) it stays, and the dialog says why; open, it stays until closed.
  if (!open && (n === 0 || targets.isPending || (targets.isSuccess && targets.data.length === 0))) return null;
  return (
    <section className="action-handover" aria-labelledby="action-handover-title">
      <h2 id="action-handover-title">Your conversations</h2>
      <p>
        You hold {plural(n, 'conversation')} of this action. If you can no longer answer them, hand them all to an organizer.
      </p>
      <button type="button" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Reassign All Conversations
      </button>
      {open && <ReassignDialog handover={{ campaignId, actionId, actionTitle }} mode="all" onClose={() => setOpen(false)} />}
    </section>
  );
}

/** Why there is nobody to reassign to, in the reader's terms and of what the dialog hands over. */
function nobodyToTake(admin: boolean, mode: Mode) {
  const what = mode === 'one' ? 'this conversation' : 'these conversations';
  return admin
    ? `Nobody else can take ${what}: you are this campaign's only organizer. Whoever runs the campaign server can add another.`
    : `Nobody can take ${what} yet: this campaign has no organizer.`;
}

/** Beside the admin who created the conversation's action, in the list of whom to hand it to or the question. */
const createdIt = '(created this action)';

function ReassignDialog({ handover, mode, onClose }: { handover: Handover; mode: Mode; onClose: () => void }) {
  const { actionId, actionTitle, threadId = '', who = '' } = handover;
  const targets = useReassignTargets(actionId, true);
  const count = useReassignableCount(actionId, mode === 'all');
  const [chosen, setChosen] = useState('');
  const [note, setNote] = useState(mode === 'one' ? (handover.cameWith ?? '') : '');
  const placedCaret = useRef(false);
  const caretAfterOnce = (e: FocusEvent<HTMLTextAreaElement>) => {
    if (placedCaret.current) return;
    placedCaret.current = true;
    const end = e.currentTarget.value.length;
    e.currentTarget.setSelectionRange(end, end);
  };
  const [error, setError] = useState('');
  const reassign = useReassign();
  const navigate = useNavigate();
  const { search } = useLocation();
  const { campaignId } = useParams();
  const admin = useIsAdmin(handover.campaignId);
  const creatorId = useAction(handover.campaignId, actionId).data?.creatorId;

  const list = targets.data ?? [];
  // The action's creator comes first: the default choice.
  const toUserId = chosen || list[0]?.id || '';
  const to = list.find((u) => u.id === toUserId);
  const n = count.data ?? 0;
  const ready = to !== undefined && (mode === 'one' || (count.isSuccess && n > 0));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!ready || reassign.isPending) return;
    setError('');
    reassign.mutate(
      mode === 'one' ? { threadId, toUserId, note: note.trim() } : { actionId, toUserId, note: note.trim() },
      {
        // The conversations leave this inbox: back to the list, which says where they went, with
        // its filter and search as they were (as the conversation's Back): a volunteer working
        // through Needs Attention stays there.
        onSuccess: () => {
          const what = mode === 'one' ? `The conversation with ${who}` : `${plural(n, 'conversation')} of ${actionTitle}`;
          const done = `${what} ${mode === 'one' || n === 1 ? 'is' : 'are'} now with ${to?.name ?? 'your organizer'}.`;
          navigate({ pathname: `/c/${campaignId ?? handover.campaignId}`, search }, { state: { done } });
        },
        onError: (err) => setError(sentence(`Nothing was reassigned: ${errorMessage(err)}`)),
      },
    );
  }

  // The one offered has no list to be marked in: the question says it of them.
  const toName = !to ? 'an organizer' : list.length === 1 && to.id === creatorId ? `${to.name} ${createdIt}` : to.name;
  let question: string;
  if (mode === 'one') question = `Hand the conversation with ${who} to ${toName}.`;
  else if (!count.isSuccess) question = 'Counting your conversations in this action…';
  else if (n === 0) question = `You hold no conversations of ${actionTitle}.`;
  else question = `Reassign all ${plural(n, 'conversation')} you hold in ${actionTitle} to ${toName}?`;

  const loadError = targets.error ?? count.error;

  return (
    <Modal title={mode === 'one' ? 'Reassign Conversation' : 'Reassign All Conversations'} onClose={onClose}>
      <form className="reassign-form" onSubmit={onSubmit} noValidate>
        {targets.isPending && <p className="muted">Finding your organizers…</p>}
        {targets.isSuccess && list.length === 0 && (
          <p role="alert" className="error">
            {nobodyToTake(admin, mode)}
          </p>
        )}
        {list.length > 1 && (
          <fieldset className="report-field report-choice">
            <legend>Hand to</legend>
            <div className="choices">
              {list.map((u) => (
                <label key={u.id} className="choice">
                  <input type="radio" name="reassign-to" value={u.id} checked={toUserId === u.id} onChange={() => setChosen(u.id)} />
                  {u.name}
                  {u.id === creatorId && <span className="muted"> {createdIt}</span>}
                </label>
              ))}
            </div>
          </fieldset>
        )}
        {list.length > 0 && <p className="reassign-question">{question}</p>}
        {/* A note only where there is someone to read it. */}
        {list.length > 0 && (
          <div className="report-field">
            <label htmlFor="reassign-note">Note (optional)</label>
            <GrowingTextarea
              id="reassign-note"
              rows={2}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              // Started from the note it came with, the caret goes after it: what is typed adds to it.
              onFocus={caretAfterOnce}
              // All of an action's conversations are handed over for the volunteer's reason, not one contact's question.
              placeholder={mode === 'one' ? 'What they asked that you cannot answer' : 'Why you are handing them over'}
            />
          </div>
        )}
        {loadError && (
          <p role="alert" className="error">
            {errorSentence(loadError)}
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="modal-buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!ready || reassign.isPending}>
            {/* "Reassign 0 Conversations" while they are still being counted would be wrong. */}
            {mode === 'one' ? 'Reassign' : count.isSuccess ? `Reassign ${plural(n, 'Conversation')}` : 'Reassign All'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
