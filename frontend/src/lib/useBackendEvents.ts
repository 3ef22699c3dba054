import { useEffect, useRef } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { on, type InboxChange, type RejectedNotice, type ReplyNotice, type Status } from '../backend';
import { keys } from './queryKeys';

export interface EventCallbacks {
  onReply?: (r: ReplyNotice) => void;
  onRejected?: (r: RejectedNotice) => void;
  onOpenThread?: (threadId: string) => void;
  onOpenFilter?: (filter: string) => void;
}

/**
 * Turns what the Go side reports into precise updates of the query cache:
 * the one place where server state is told it changed. Only queries on
 * screen refetch; the others are marked stale and refetch when shown.
 */
export function applyInboxChange(qc: QueryClient, change: InboxChange | null | undefined) {
  // An older Go side sent no payload: everything may have changed.
  if (!change || change.all) {
    void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'status' });
    return;
  }
  if (change.campaigns) void qc.invalidateQueries({ queryKey: keys.campaigns });
  if (change.actions) void qc.invalidateQueries({ queryKey: ['actions'] });
  if (change.queue) void qc.invalidateQueries({ queryKey: ['queue'] });
  const ids = change.threadIds ?? [];
  if (ids.length > 0) {
    for (const id of ids) void qc.invalidateQueries({ queryKey: keys.thread(id) });
    void qc.invalidateQueries({ queryKey: ['counts'] });
    void qc.invalidateQueries({ queryKey: ['threads'] });
    // Reassigned threads and blocked contacts are what the Admin section lists.
    void qc.invalidateQueries({ queryKey: ['admin'] });
    void qc.invalidateQueries({ queryKey: ['reassignableCount'] });
  }
}

export function applyStatus(qc: QueryClient, s: Status) {
  qc.setQueryData<Status>(keys.status, (prev) => ({ ...(prev ?? ({} as Status)), ...s }));
  // The outbox lists what is pending, which is what a status change reports.
  void qc.invalidateQueries({ queryKey: keys.outbox });
}

export function useBackendEvents(callbacks: EventCallbacks = {}) {
  const qc = useQueryClient();
  const cb = useRef(callbacks);
  cb.current = callbacks;
  useEffect(() => {
    const offs = [
      on('inbox:changed', (change) => applyInboxChange(qc, change)),
      on('sync:status', (s) => applyStatus(qc, s)),
      on('reply:new', (r) => cb.current.onReply?.(r)),
      on('mutation:rejected', (r) => {
        void qc.invalidateQueries({ queryKey: keys.outbox });
        cb.current.onRejected?.(r);
      }),
      on('navigate:thread', (id) => id && cb.current.onOpenThread?.(id)),
      on('navigate:inbox', (f) => cb.current.onOpenFilter?.(f)),
    ];
    return () => offs.forEach((off) => off());
  }, [qc]);
}
