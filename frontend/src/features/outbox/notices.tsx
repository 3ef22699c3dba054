import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { LeftCampaign, RejectedNotice, ReplyNotice } from '../../backend';
import { useStatus } from '../session/hooks';
import { useFocusAfterDismiss } from '../../lib/focus';

/**
 * The latest reply, or conversation reassigned to the user. `together`: how
 * many conversations one Reassign All Conversations handed over with it (they
 * arrive as one event each, at one instant, from one volunteer).
 */
export type LastReply = ReplyNotice & { together?: number };

/** Adds a notice to the one shown: handovers of one Reassign All are counted together. */
function nextReply(prev: LastReply | null, r: ReplyNotice | null): LastReply | null {
  if (!r) return null;
  const sameHandover =
    prev?.reassigned && r.reassigned && prev.threadId !== r.threadId && !!r.at && String(prev.at) === String(r.at) &&
    prev.reassignedBy === r.reassignedBy && prev.campaignId === r.campaignId;
  return sameHandover ? { ...r, together: (prev.together ?? 1) + 1 } : r;
}

// What the window tells the volunteer about events (not server state, so not
// in the query cache): changes the server refused, campaigns they were
// removed from, and the latest reply.
interface NoticeState {
  rejected: RejectedNotice[];
  left: LeftCampaign[];
  lastReply: LastReply | null;
  addRejected: (n: RejectedNotice) => void;
  addLeft: (l: LeftCampaign[]) => void;
  /** Dismisses a refusal, or a campaign's notice (by its id). */
  dismiss: (id: string) => void;
  setLastReply: (r: ReplyNotice | null) => void;
}

const Ctx = createContext<NoticeState | null>(null);

export function NoticesProvider({ children }: { children: ReactNode }) {
  const [rejected, setRejected] = useState<RejectedNotice[]>([]);
  const [left, setLeft] = useState<LeftCampaign[]>([]);
  const [lastReply, setShown] = useState<LastReply | null>(null);
  const setLastReply = useCallback((r: ReplyNotice | null) => setShown((prev) => nextReply(prev, r)), []);
  // Notices belong to who was signed in: another account (or none) starts clean.
  const userId = useStatus().data?.user?.id ?? '';
  const [owner, setOwner] = useState(userId);
  if (owner !== userId) {
    setOwner(userId);
    setRejected([]);
    setLeft([]);
    setLastReply(null);
  }
  const addRejected = useCallback(
    (n: RejectedNotice) => setRejected((prev) => (prev.some((p) => p.id === n.id) ? prev : [...prev, n])),
    [],
  );
  const addLeft = useCallback(
    (l: LeftCampaign[]) => setLeft((prev) => [...prev, ...l.filter((c) => !prev.some((p) => p.id === c.id))]),
    [],
  );
  const dismiss = useCallback((id: string) => {
    setRejected((prev) => prev.filter((n) => n.id !== id));
    setLeft((prev) => prev.filter((c) => c.id !== id));
  }, []);
  const value = useMemo(
    () => ({ rejected, left, lastReply, addRejected, addLeft, dismiss, setLastReply }),
    [rejected, left, lastReply, addRejected, addLeft, dismiss, setLastReply],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useNotices(): NoticeState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useNotices outside NoticesProvider');
  return v;
}

/**
 * Campaigns the volunteer was removed from, then changes the server refused, each with its reason,
 * until the volunteer dismisses it.
 */
export function Notices() {
  const { rejected, left, dismiss } = useNotices();
  // After the last notice, the keyboard goes to the pane's heading.
  const box = useRef<HTMLDivElement>(null);
  const ids = [...left, ...rejected].map((n) => n.id).join(' ');
  const dismissing = useFocusAfterDismiss(ids, box, () => document.querySelector<HTMLElement>('.main-pane h1'));
  if (rejected.length === 0 && left.length === 0) return null;
  return (
    <div className="notices" ref={box}>
      {left.map((c, i) => (
        <div key={c.id} role="status" className="notice">
          <p>
            You are no longer in the campaign “{c.name}”: its organizers removed you. Its conversations are gone from this
            computer.
          </p>
          <button
            type="button"
            onClick={() => {
              dismissing(i);
              dismiss(c.id);
            }}
            aria-label={`Dismiss notice: no longer in ${c.name}`}
          >
            Dismiss
          </button>
        </div>
      ))}
      {rejected.map((n, i) => (
        <div key={n.id} role="alert" className="notice rejected">
          <p>
            <strong>Not sent: {n.summary}.</strong> {n.reason}
          </p>
          <button
            type="button"
            onClick={() => {
              dismissing(left.length + i);
              dismiss(n.id);
            }}
            aria-label={`Dismiss notice: ${n.summary}`}
          >
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
