import { useCallback, useEffect, useRef, useState } from 'react';
import type { OptIn, ThreadView } from '../../backend';
import { useStartToOptBackIn } from '../admin/hooks';
import { useSettings } from '../inbox/hooks';
import { notSentWhy, useHoldup } from '../outbox/connection';
import { OptBackInDialog } from '../admin/OptBackInDialog';
import { UndoInConversation } from '../admin/UndoOptOut';
import { errorMessage, fullTime, sentence } from '../../lib/format';
import { useOverflows } from '../../lib/useOverflows';
import { OptOutBanner } from './OptOutBanner';
import { Reassign } from './ReassignDialog';
import { FillReport, ReportSummary } from './ReportForm';
import './conversations.css';

/** How long "Report saved" (and archived) stays after a report is saved. */
export const SAVED_SHOWN_MS = 5000;

/**
 * The work on the conversation besides replying: its report and handing it
 * over. (Report abuse is in the header beside Archive, as a mail client keeps
 * Report spam beside Archive: away from the everyday steps, and so this row
 * stays one row in the smallest window.)
 */
export function ConversationTools({ view, onSavedWords }: { view: ThreadView; onSavedWords: (words: string) => void }) {
  const [saved, setSaved] = useState(false);
  // With the Automatic Archive Setting on, filing a report archives the conversation, which stays
  // open: the only trace of it would be a word in the header, so the outcome says it (as the
  // header's Archive does). Taken as the report is filed: by the time it shows, the view is archived.
  const autoArchive = useSettings().data?.autoArchive ?? false;
  const archivesOnSave = autoArchive && !view.thread.archived;
  const [archivedToo, setArchivedToo] = useState(false);
  const willArchive = useRef(archivesOnSave);
  willArchive.current = archivesOnSave;
  // Offline, the report is kept on this computer until the connection is back: "saved" alone would
  // read as filed with the campaign.
  // So too with the server busy or its address refused (the status bar says which): why, in its words.
  const holdup = useHoldup();
  const kept = holdup === 'offline' ? 'it goes out when you are back online' : holdup === 'failing' ? '' : notSentWhy(holdup);
  const [keptHere, setKeptHere] = useState('');
  const keptNow = useRef(kept);
  keptNow.current = kept;
  const onSaved = useCallback((ok: boolean) => {
    if (ok) {
      setArchivedToo(willArchive.current);
      setKeptHere(keptNow.current);
    }
    setSaved(ok);
  }, []);
  // Said, then gone: in the smallest window the words take a row of their
  // own under the buttons, which the notes and messages want back.
  useEffect(() => {
    if (!saved) return;
    const t = window.setTimeout(() => setSaved(false), SAVED_SHOWN_MS);
    return () => window.clearTimeout(t);
  }, [saved]);
  const words = saved ? `${archivedToo ? 'Report saved and archived' : 'Report saved'}${keptHere ? ` on this computer: ${keptHere}` : ''}` : '';
  // Shown beside the report history the report joined (ReportSummary), where the line has room:
  // floated over the line under this row, it hid the end of the report's latest values.
  useEffect(() => onSavedWords(words), [words, onSavedWords]);
  return (
    <div className="conversation-tools" role="group" aria-label="Conversation">
      <FillReport view={view} onSaved={onSaved} />
      {!view.thread.blocked && <Reassign view={view} />}
      {/* Said from here, a region there from the start: one added with its words is often not read. */}
      <span role="status" className="sr-only">
        {words}
      </span>
    </div>
  );
}

/**
 * Above the messages: whether the contact opted out (or was opted back in) or is blocked, who handed
 * the conversation over and why, the opt-out suggestion, the report. They keep
 * their height while the window has room; in a short one (900x560), once the
 * messages are down to their 7rem, they give way and scroll in their own box
 * (conversations.css), so the reply area never leaves the window. A box that
 * scrolls is a Tab stop, as the message list is, for the keyboard to read it.
 */
export function ConversationNotes({ view, saved }: { view: ThreadView; saved: string }) {
  const t = view.thread;
  const r = t.reassigned;
  const who = t.contactName;
  const box = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const scrolls = useOverflows(box, content);
  // Opting out from the banner takes its button away (and the reply box):
  // the keyboard would be left on the page, so it goes to the line that says
  // what happened, which a screen reader then reads.
  const optedOutLine = useRef<HTMLParagraphElement>(null);
  const wasOptedOut = useRef(t.optedOut);
  useEffect(() => {
    const became = t.optedOut && !wasOptedOut.current;
    wasOptedOut.current = t.optedOut;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (became && lost) optedOutLine.current?.focus();
  }, [t.optedOut]);
  return (
    <div
      ref={box}
      className={`thread-notes${scrolls ? ' scrolls' : ''}`}
      {...(scrolls ? { tabIndex: 0, role: 'region', 'aria-label': 'Conversation notes' } : {})}
    >
      <div ref={content}>
        {t.optedOut && (
          <p ref={optedOutLine} className="notice" tabIndex={-1}>
            {who} opted out: they will not be texted again.
          </p>
        )}
        {t.optedOut && <TextedStart view={view} />}
        {t.optedOut && <UndoInConversation view={view} />}
        {t.blocked && <p className="notice">{who} is blocked.</p>}
        {t.optedBackIn && !t.optedOut && (
          <p className="notice good">
            {t.optedBackIn.undone
              ? `${t.optedBackIn.byName || 'An organizer'} undid the opt-out of ${who} on ${fullTime(t.optedBackIn.at)}: a report had opted them out by mistake, and you can text them again.`
              : `${t.optedBackIn.byName || 'An organizer'} opted ${who} back in on ${fullTime(t.optedBackIn.at)}, after they texted START: you can text them again.`}
          </p>
        )}
        {r && <ReassignedNote from={r.fromUserName || 'a volunteer'} note={r.note} />}
        <OptOutBanner view={view} />
        <ReportSummary view={view} saved={saved} />
      </div>
    </div>
  );
}

/**
 * For an organizer, an opted-out contact who texted START since: said
 * here too, with Opt Back In, read where the conversation's opt-out says
 * it is (useStartToOptBackIn), or why that could not be read.
 */
function TextedStart({ view }: { view: ThreadView }) {
  const t = view.thread;
  const [asking, setAsking] = useState<OptIn | null>(null);
  const { optIn, error } = useStartToOptBackIn(t.campaignId, t.id);
  if (!optIn && !asking && !error) return null;
  return (
    <>
      {optIn ? (
        <div className="notice texted-start">
          <p>
            Then they texted “{optIn.body}” ({fullTime(optIn.at)}){optIn.reviewedAt ? ', since marked reviewed' : ''}.
          </p>
          <button type="button" onClick={() => setAsking(optIn)}>
            Opt Back In
          </button>
        </div>
      ) : (
        error !== undefined && (
          <p role="alert" className="error small">
            {sentence(`Could not load the START ${t.contactName} texted since, with Opt Back In: ${errorMessage(error)}`)}
          </p>
        )
      )}
      {asking && <OptBackInDialog i={asking} onClose={() => setAsking(null)} onDone={() => {}} />}
    </>
  );
}

/**
 * Who handed the conversation over and why. In a short window a long note keeps to
 * two lines (shell.css), with Show all, so the report under it stays in sight.
 */
function ReassignedNote({ from, note }: { from: string; note?: string }) {
  const text = useRef<HTMLParagraphElement>(null);
  const [all, setAll] = useState(false);
  const clamped = useOverflows(text, undefined, [note, all]);
  return (
    <div className="notice reassigned-note">
      <p ref={text} className={all ? undefined : 'clamp'}>
        Reassigned to you by {from}
        {note ? `: ${note}` : ''}
      </p>
      {(clamped || all) && (
        <button type="button" className="link" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? 'Show less' : 'Show all'}
        </button>
      )}
    </div>
  );
}
