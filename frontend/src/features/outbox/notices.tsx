import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { RejectedNotice, ReplyNotice } from '../../backend';
import { useStatus } from '../session/hooks';

// What the window tells the volunteer about events (not server state, so not
// in the query cache): changes the server refused, and the latest reply.
interface NoticeState {
  rejected: RejectedNotice[];
  lastReply: ReplyNotice | null;
  addRejected: (n: RejectedNotice) => void;
  dismiss: (id: string) => void;
  setLastReply: (r: ReplyNotice | null) => void;
}

const Ctx = createContext<NoticeState | null>(null);

export function NoticesProvider({ children }: { children: ReactNode }) {
  const [rejected, setRejected] = useState<RejectedNotice[]>([]);
  const [lastReply, setLastReply] = useState<ReplyNotice | null>(null);
  // Notices belong to who was signed in: another account (or none) starts clean.
  const userId = useStatus().data?.user?.id ?? '';
  const [owner, setOwner] = useState(userId);
  if (owner !== userId) {
    setOwner(userId);
    setRejected([]);
    setLastReply(null);
  }
  const addRejected = useCallback(
    (n: RejectedNotice) => setRejected((prev) => (prev.some((p) => p.id === n.id) ? prev : [...prev, n])),
    [],
  );
  const dismiss = useCallback((id: string) => setRejected((prev) => prev.filter((n) => n.id !== id)), []);
  const value = useMemo(
    () => ({ rejected, lastReply, addRejected, dismiss, setLastReply }),
    [rejected, lastReply, addRejected, dismiss],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useNotices(): NoticeState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useNotices outside NoticesProvider');
  return v;
}

/** Changes the server refused, each with its reason, until the volunteer dismisses it. */
export function Notices() {
  const { rejected, dismiss } = useNotices();
  if (rejected.length === 0) return null;
  return (
    <div className="notices">
      {rejected.map((n) => (
        <div key={n.id} role="alert" className="notice rejected">
          <p>
            <strong>Not sent: {n.summary}.</strong> {n.reason}
          </p>
          <button type="button" onClick={() => dismiss(n.id)} aria-label={`Dismiss notice: ${n.summary}`}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
