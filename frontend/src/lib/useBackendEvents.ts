import { useEffect, useRef } from 'react';
import { useQueryClient, type InvalidateQueryFilters, type Query, type QueryClient } from '@tanstack/react-query';
import { on, type AdminChange, type InboxChange, type LeftCampaign, type RejectedNotice, type ReplyNotice, type Status } from '../backend';
import { countsKeyCampaign, keys, threadsKeyParts } from './queryKeys';
import { placeRows } from '../features/inbox/hooks';

/**
 * Marks what filters match stale and refetches what is on screen, without
 * cancelling a fetch in flight: on a busy machine replies can arrive faster
 * than a list refetches, and cancelling each refetch for the next one left
 * the screen waiting for as long as they kept coming. A query that was
 * fetching when the change came is refetched once more after, since its
 * answer may predate the change.
 */
function invalidate(qc: QueryClient, filters: InvalidateQueryFilters) {
  const busy = qc
    .getQueryCache()
    .findAll(filters)
    .filter((q) => q.state.fetchStatus === 'fetching');
  void qc.invalidateQueries(filters, { cancelRefetch: false }).then(() => {
    for (const q of busy) void qc.invalidateQueries({ queryKey: q.queryKey, exact: true }, { cancelRefetch: false });
  });
}

export interface EventCallbacks {
  onReply?: (r: ReplyNotice) => void;
  onRejected?: (r: RejectedNotice) => void;
  onOpenThread?: (threadId: string) => void;
  onOpenFilter?: (filter: string, campaignId?: string) => void;
  onOpenAdmin?: (campaignId: string) => void;
  /** Campaigns the volunteer is no longer in (an organizer removed them), gone from the cache. */
  onLeft?: (left: LeftCampaign[]) => void;
}

/**
 * Turns what the Go side reports into precise updates of the query cache:
 * the one place where server state is told it changed. Only queries on
 * screen refetch; the others are marked stale and refetch when shown.
 */
export function applyInboxChange(qc: QueryClient, change: Partial<InboxChange> | null | undefined) {
  // An event below the last one applied arrived late: its rows and counts
  // are older than what is on screen, so what it names is refetched instead
  // of placed.
  const late = !newest(inboxSeq, qc, change?.seq);
  // An older Go side sent no payload: everything may have changed.
  if (!change || change.all) {
    invalidate(qc, { predicate: (q) => q.queryKey[0] !== keys.status[0] });
    return;
  }
  if (change.campaigns) invalidate(qc, { queryKey: keys.campaigns });
  if (change.actions) invalidate(qc, { queryKey: keys.every.actions });
  if (change.queue) invalidate(qc, { queryKey: keys.every.queue });
  const ids = change.threadIds ?? [];
  if (ids.length > 0) {
    // The rows come with the event, each with the filters it is listed
    // under: placed now, in this frame, in every loaded list without a
    // search. Those lists are refetched only when a row is missing (a
    // conversation gone from the cache) or a fetch begun before the change is in
    // flight; searches are refetched.
    const rows = late ? [] : (change.threads ?? []);
    placeRows(qc, rows);
    const complete = ids.every((id) => rows.some((t) => t.id === id));
    const fetching = (q: Query) => q.state.fetchStatus === 'fetching';
    invalidate(qc, { queryKey: keys.every.threads, predicate: (q) => !complete || threadsKeyParts(q.queryKey)?.query !== '' || fetching(q) });
    // The counts of the rows' campaigns come with them too.
    const counts = late ? {} : (change.counts ?? {});
    for (const [campaignId, c] of Object.entries(counts)) qc.setQueryData(keys.counts(campaignId), c);
    invalidate(qc, { queryKey: keys.every.counts, predicate: (q) => !((countsKeyCampaign(q.queryKey) ?? '') in counts) || fetching(q) });
    for (const id of ids) invalidate(qc, { queryKey: keys.thread(id) });
    // Reassigned conversations and blocked contacts are what the Admin section lists.
    invalidate(qc, { queryKey: keys.every.admin });
    invalidate(qc, { queryKey: keys.every.reassignableCount });
  }
}

/**
 * The server says what a campaign's Admin section shows changed (another
 * admin, textbankd's command line, a new unroutable text, abuse report or
 * opt-in): its overview and handled list are read again if on screen, and
 * its conversations read in place (they may have grown).
 */
function applyAdminChange(qc: QueryClient, a: AdminChange | null | undefined) {
  if (!a?.campaignId) return;
  invalidate(qc, { queryKey: keys.admin(a.campaignId) });
}

/** The highest inbox:changed and status seq applied, per query client. */
const inboxSeq = new WeakMap<QueryClient, number>();
const statusSeq = new WeakMap<QueryClient, number>();

/**
 * Whether an event numbered seq is newer than every one applied before
 * (recording it if so): the Go side numbers its events in the order it
 * tells them, and they can arrive out of order (wails dev sends each from a
 * goroutine of its own). An event without a number (an older Go side) is
 * taken as newest.
 */
function newest(applied: WeakMap<QueryClient, number>, qc: QueryClient, seq: number | undefined) {
  if (!seq) return true;
  if (seq <= (applied.get(qc) ?? 0)) return false;
  applied.set(qc, seq);
  return true;
}

/**
 * A status event, unless a newer one was applied already: an older count
 * left behind would say "1 change sending" until the next change.
 */
export function applyStatus(qc: QueryClient, s: Status) {
  if (!newest(statusSeq, qc, s.seq)) return;
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
      on('inbox:changed', (change) => {
        applyInboxChange(qc, change);
        if (change?.left?.length) cb.current.onLeft?.(change.left);
      }),
      on('sync:status', (s) => applyStatus(qc, s)),
      on('reply:new', (r) => cb.current.onReply?.(r)),
      on('mutation:rejected', (r) => {
        void qc.invalidateQueries({ queryKey: keys.outbox });
        cb.current.onRejected?.(r);
      }),
      on('admin:changed', (a) => applyAdminChange(qc, a)),
      on('navigate:thread', (id) => id && cb.current.onOpenThread?.(id)),
      on('navigate:inbox', (t) => (typeof t === 'string' ? cb.current.onOpenFilter?.(t) : cb.current.onOpenFilter?.(t.filter, t.campaignId))),
      on('navigate:admin', (c) => cb.current.onOpenAdmin?.(c)),
      // The tray pauses and resumes notifications too: an open Settings screen shows it at once.
      on('settings:changed', () => void qc.invalidateQueries({ queryKey: keys.appSettings })),
    ];
    return () => offs.forEach((off) => off());
  }, [qc]);
}
