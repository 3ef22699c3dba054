import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import {
  handledUnroutable,
  optBackIn,
  reviewedAbuseReports,
  reviewedOptIns,
  setAbuseReportReviewed,
  setOptInReviewed,
  setUnroutableHandled,
  type AbuseReport,
  type AdminOverview,
  type OptIn,
  type UnroutableText,
} from '../../backend';
import { keys } from '../../lib/queryKeys';

/**
 * The Admin section's lists whose rows an admin marks done once dealt with,
 * and open again: unroutable texts (handled), reports of abuse and opt-ins
 * (reviewed). One set of hooks for all three. The overview lists the open
 * rows and counts the done ones; the done ones are read when asked for.
 * Marking goes to the server at once, as the section's reads do (not
 * through the outbox: nothing of it is in the local cache); offline it
 * fails and the row says why.
 */
export interface Rows {
  unroutable: UnroutableText;
  abuseReports: AbuseReport;
  optIns: OptIn;
}
export type MarkList = keyof Rows;

const lists: {
  [K in MarkList]: {
    count: 'unroutableHandled' | 'abuseReportsReviewed' | 'optInsReviewed';
    /** All the open rows, of which the list shows the newest 200. */
    open: 'unroutableOpen' | 'abuseReportsOpen' | 'optInsOpen';
    done: (campaignId: string) => Promise<Rows[K][]>;
    set: (campaignId: string, id: string, done: boolean) => Promise<Rows[K]>;
  };
} = {
  unroutable: { count: 'unroutableHandled', open: 'unroutableOpen', done: handledUnroutable, set: setUnroutableHandled },
  abuseReports: { count: 'abuseReportsReviewed', open: 'abuseReportsOpen', done: reviewedAbuseReports, set: setAbuseReportReviewed },
  optIns: { count: 'optInsReviewed', open: 'optInsOpen', done: reviewedOptIns, set: setOptInReviewed },
};

/** A list's rows marked done, read when the admin asks to see them. */
export function useMarkedRows<K extends MarkList>(list: K, campaignId: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.adminMarked(campaignId, list),
    queryFn: () => lists[list].done(campaignId),
    enabled,
    staleTime: 0,
    refetchInterval: 30_000,
  });
}

/**
 * Marks a row done or open again. On success the row moves between the
 * lists at once, then both are read again, and onDone runs (here, not in
 * mutate's callbacks, which do not run once the row that asked has left
 * its list).
 */
export function useSetMarked<K extends MarkList>(list: K, campaignId: string, onDone?: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; done: boolean }) => lists[list].set(campaignId, v.id, v.done),
    onSuccess: (row, v) => {
      moveMarked(qc, list, campaignId, row, v.done);
      onDone?.();
    },
  });
}

/**
 * Opt Back In: lifts the organization's opt-out of a contact who texted
 * START; the server marks the opt-in reviewed too, so it moves as one
 * marked reviewed does.
 */
export function useOptBackIn(campaignId: string, onDone?: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => optBackIn(campaignId, id),
    onSuccess: (row) => {
      moveMarked(qc, 'optIns', campaignId, row, true);
      onDone?.();
    },
  });
}

type Row = { id: string; at: string };

/** Moves row into the done list (done) or back among the open ones, in the cache, then reads both again. */
function moveMarked(qc: QueryClient, list: MarkList, campaignId: string, row: Row, done: boolean) {
  const { count, open: total } = lists[list];
  qc.setQueryData<AdminOverview>(keys.admin(campaignId), (o) => {
    if (!o) return o;
    const open = (o[list] as Row[]).filter((u) => u.id !== row.id);
    return {
      ...o,
      [list]: done ? open : newestFirst([row, ...open]),
      [count]: Math.max(0, (o[count] ?? 0) + (done ? 1 : -1)),
      [total]: Math.max(0, openTotal(o, list) + (done ? -1 : 1)),
    };
  });
  qc.setQueryData<Row[]>(keys.adminMarked(campaignId, list), (rows) =>
    rows && (done ? newestFirst([row, ...rows.filter((u) => u.id !== row.id)]) : rows.filter((u) => u.id !== row.id)),
  );
  void qc.invalidateQueries({ queryKey: keys.admin(campaignId), exact: true });
  void qc.invalidateQueries({ queryKey: keys.adminMarked(campaignId, list), exact: true });
  if (list === 'optIns') {
    // Each opt-out says where the contact's START is (AdminOptOut.start, the server's): a START marked reviewed, or
    // opened again, moves it.
    void qc.invalidateQueries({ queryKey: keys.adminOptOuts(campaignId) });
    void qc.invalidateQueries({ queryKey: keys.adminThreads(campaignId) });
  }
}

const newestFirst = <T extends Row>(rows: T[]) => rows.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));

/** How many open rows a list has in all: its rows, or more when the overview says so (the list shows the newest 200). */
export function openTotal(o: AdminOverview, list: MarkList): number {
  return Math.max(o[lists[list].open] ?? 0, o[list].length);
}
