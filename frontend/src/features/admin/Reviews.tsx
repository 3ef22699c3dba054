import type { AbuseReport, OptIn } from '../../backend';
import { blockReasonLabel } from '../../lib/labels';
import { useInboxNavigate } from '../inbox/hooks';
import { ReadConversation } from './AdminRows';
import { When } from './When';
import { MarkedRows, useMarkButton, type DoneWords } from './MarkedRows';

// Reports of abuse and opt-ins: each row leads to its conversation, and an
// organizer marks it reviewed once they have decided (it leaves the list,
// kept under Show reviewed), or opens it again. An opt-in still opted out
// also offers Opt Back In (OptBackInDialog says what it does first).

/** Who marked a row reviewed and when. */
function ReviewedLine({ at, by }: { at?: string; by?: string }) {
  if (!at) return null;
  return (
    <p className="small">
      Reviewed{by ? ` by ${by}` : ''} · <When at={at} />
    </p>
  );
}

const reviewWords = (what: string, about: string) => ({
  mark: 'Mark Reviewed',
  unmark: 'Open Again',
  about,
  failed: (reviewed: boolean) => `The ${what} was not ${reviewed ? 'marked reviewed' : 'opened again'}`,
});

export function AbuseRow({ r, onMarked }: { r: AbuseReport; onMarked?: () => void }) {
  const who = r.contactName;
  const mark = useMarkButton('abuseReports', r.id, !!r.reviewedAt, reviewWords('report', `the report on ${who}`), onMarked);
  return (
    <>
      <p>
        <strong>{who}</strong> · {blockReasonLabel(r.reason)} · reported by {r.reportedBy}
      </p>
      <p className="small muted">
        {r.actionTitle} · <When at={r.at} />
      </p>
      {r.note && <p className="small">Note: {r.note}</p>}
      {r.lastMessage && <p className="small">Last text: “{r.lastMessage}”</p>}
      <ReadConversation threadId={r.threadId} who={who} />
      <ReviewedLine at={r.reviewedAt} by={r.reviewedBy} />
      <p className="admin-actions">{mark.button}</p>
      {mark.error}
    </>
  );
}

/** Where an opt-in stands: still opted out, opted back in (by whom), or no longer opted out (another START lifted it). */
function optInState(i: OptIn) {
  if (i.optedBackInAt) {
    return (
      <>
        Opted back in{i.optedBackInBy ? ` by ${i.optedBackInBy}` : ''} · <When at={i.optedBackInAt} />
      </>
    );
  }
  if (i.optedOut) return 'Still opted out: nobody in your organization can text this number until an organizer opts it back in.';
  return 'No longer opted out.';
}

/**
 * A START from an opted-out contact, leading to their conversation (opened
 * when it is the admin's, else read here), with Opt Back In while the
 * number is still opted out, and Mark Reviewed.
 */
export function OptInRow({ i, onOptBackIn, onMarked }: { i: OptIn; onOptBackIn: (i: OptIn) => void; onMarked?: () => void }) {
  const go = useInboxNavigate();
  const who = i.contactName ?? ''; // the Go side names every opt-in (its name, else its number)
  const mark = useMarkButton('optIns', i.id, !!i.reviewedAt, reviewWords('opt-in', `the START from ${who}`), onMarked);
  return (
    <>
      <p>
        <strong>{who}</strong>: “{i.body}” · {i.actionTitle && `${i.actionTitle} · `}
        <When at={i.at} />
      </p>
      <p className="small muted">{optInState(i)}</p>
      {i.threadId && i.yours && (
        <button type="button" className="link small" aria-label={`Open the conversation with ${who}`} onClick={() => go(`/thread/${i.threadId}`)}>
          Open the conversation
        </button>
      )}
      {i.threadId && !i.yours && (
        <>
          {i.blocked && <p className="small">Blocked: a volunteer reported {who} for abuse.</p>}
          {i.heldBy && <p className="small">In {i.heldBy}'s inbox</p>}
          <ReadConversation threadId={i.threadId} who={who} />
        </>
      )}
      <ReviewedLine at={i.reviewedAt} by={i.reviewedBy} />
      <p className="admin-actions">
        {i.optedOut && (
          <button type="button" className="quiet small admin-mark" aria-haspopup="dialog" aria-label={`Opt Back In: ${who}`} onClick={() => onOptBackIn(i)}>
            Opt Back In
          </button>
        )}
        {mark.button}
      </p>
      {mark.error}
    </>
  );
}

const reviewed = (one: string, many: string, listName: string): DoneWords => ({
  hidden: (n) => (n === 1 ? `1 reviewed ${one} is hidden.` : `${n.toLocaleString()} reviewed ${many} are hidden.`),
  word: 'reviewed',
  listName,
  none: `No ${one} is marked reviewed.`,
});

/** Under the open reports: the reviewed ones, hidden until asked for. */
export function ReviewedAbuseReports({ count, onMarked }: { count: number; onMarked: () => void }) {
  return (
    <MarkedRows
      list="abuseReports"
      count={count}
      words={reviewed('report', 'reports', 'Reviewed reports of abuse')}
      render={(r) => <AbuseRow r={r} onMarked={onMarked} />}
    />
  );
}

/** Under the open opt-ins: the reviewed ones, hidden until asked for. */
export function ReviewedOptIns({ count, onOptBackIn, onMarked }: { count: number; onOptBackIn: (i: OptIn) => void; onMarked: () => void }) {
  return (
    <MarkedRows
      list="optIns"
      count={count}
      words={reviewed('opt-in', 'opt-ins', 'Reviewed opt-ins')}
      render={(i) => <OptInRow i={i} onOptBackIn={onOptBackIn} onMarked={onMarked} />}
    />
  );
}
