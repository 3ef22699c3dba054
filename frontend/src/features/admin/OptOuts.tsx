import { useState } from 'react';
import { useParams } from 'react-router';
import type { AdminOptOutRow } from '../../backend';
import { errorSentence, hasName } from '../../lib/format';
import { blockStays, optOutSource } from './optOutWords';
import { ReadConversation } from './AdminRows';
import { UndoOptOutDialog, whyNotUndoable } from './UndoOptOut';
import { When } from './When';

// The Admin section's list of opt-outs: the campaign's opted-out
// conversations, so an organizer finds a volunteer's mistaken Opt Out
// (Undo Opt Out lifts it) without opening conversations in turn. The
// server lists only this campaign's conversations; an imported number it
// never texted is the operator's (textbankd export opt-outs).

/**
 * For each row whose number an earlier row has too (two conversations of the campaign with one number: a
 * household's phone, or one person in two actions), that row's contact: the list names each conversation,
 * and says they are one opt-out of the organization (one Undo Opt Out, or Opt Back In, ends it for both).
 * By the pages loaded: a row of the number on a later page says nothing until it is shown.
 */
export function sameNumberAs(rows: AdminOptOutRow[]): Map<string, string> {
  const first = new Map<string, string>();
  const out = new Map<string, string>();
  for (const r of rows) {
    const earlier = first.get(r.contactPhone);
    if (earlier === undefined) first.set(r.contactPhone, r.contactName);
    else out.set(r.threadId, earlier);
  }
  return out;
}

/**
 * One opted-out conversation: who, when, why, whether it is blocked, and Undo Opt Out when a report here filed it
 * (else why not, pointing at the contact's START under Opt-ins when there is one); sameAs, the contact of a row above
 * with the same number. onUndone: the row leaves the list with the button that had focus.
 */
export function OptOutRow({ r, sameAs, onUndone }: { r: AdminOptOutRow; sameAs?: string; onUndone: () => void }) {
  const { campaignId = '' } = useParams();
  const [asking, setAsking] = useState(false);
  const who = r.contactName;
  const o = r.optOut;
  return (
    <>
      <p>
        <strong>{who}</strong>
        {hasName(who, r.contactPhone) && ` · ${r.contactPhone}`} · <When at={o.at} />
      </p>
      <p className="small">{optOutSource(o)}</p>
      {r.blocked && <p className="small">{blockStays(who)}</p>}
      {sameAs !== undefined && <p className="small">Same number as {sameAs}'s conversation above: one opt-out, which ends for both at once.</p>}
      {o.undoable ? (
        <p className="admin-actions">
          <button type="button" className="quiet small admin-mark" aria-haspopup="dialog" aria-label={`Undo Opt Out: ${who}`} onClick={() => setAsking(true)}>
            Undo Opt Out
          </button>
        </p>
      ) : (
        <p className="small muted">{whyNotUndoable(o, 'admin')}</p>
      )}
      <ReadConversation threadId={r.threadId} who={who} optOutShown />
      {asking && <UndoOptOutDialog threadId={r.threadId} who={who} o={o} onClose={() => setAsking(false)} onUndone={onUndone} />}
    </>
  );
}

/** Under the list: Show older while the server has more, or why the next page did not come. */
export function OlderOptOuts({
  more,
  loading,
  error,
  onMore,
}: {
  more: boolean;
  loading: boolean;
  error: unknown;
  onMore: () => void;
}) {
  return (
    <>
      {error != null && (
        <p role="alert" className="error small">
          {errorSentence(error)}
        </p>
      )}
      {more && (
        <p className="admin-actions">
          <button type="button" className="quiet small" disabled={loading} onClick={onMore}>
            {loading ? 'Loading…' : 'Show older opt-outs'}
          </button>
        </p>
      )}
    </>
  );
}
