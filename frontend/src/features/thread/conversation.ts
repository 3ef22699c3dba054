// Server state for what a volunteer does with a conversation after the first
// text: reports, blocking, reassignment, and the live segment count.
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import {
  blockContact,
  reassign,
  reassignAll,
  reassignableCount,
  reassignTargets,
  segmentCount,
  submitReport,
  type BlockReason,
  type Report,
  type ReportField,
} from '../../backend';
import { keys } from '../../lib/queryKeys';

/** Every action has these two on top of its own fields (backend/client ThreadView): Go's report.Notes and report.OptOut, which app/frontend_values_test.go keeps them equal to. */
export const NOTES: ReportField = { key: 'notes', label: 'Notes', kind: 'text' };
export const OPT_OUT: ReportField = { key: 'opt_out', label: 'Opt Out', kind: 'tag' };

/** The action's fields in the admin's order, then Opt Out and Notes (once each). */
export function reportFieldsOf(own: ReportField[]): ReportField[] {
  const keys = new Set(own.map((f) => f.key));
  return [...own, ...[OPT_OUT, NOTES].filter((f) => !keys.has(f.key))];
}

/** A report value as the volunteer reads it ("" for an unset value). */
export function valueLabel(f: ReportField, v: string | undefined): string {
  if (v === undefined || v === '') return '';
  if (f.kind === 'tag') return v === 'true' ? 'Yes' : 'No';
  return v;
}

/** Lists change after these: the conversation itself, the inbox rows and counts. */
function refreshInbox(qc: QueryClient, threadId: string) {
  void qc.invalidateQueries({ queryKey: keys.thread(threadId) });
  void qc.invalidateQueries({ queryKey: keys.every.threads });
  void qc.invalidateQueries({ queryKey: keys.every.counts });
}

export function useSubmitReport(threadId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (values: Record<string, string>) => submitReport(threadId, values),
    onSuccess: () => refreshInbox(qc, threadId),
  });
}

export function useBlock(threadId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { reason: BlockReason; note: string }) => blockContact(threadId, v.reason, v.note),
    onSuccess: () => refreshInbox(qc, threadId),
  });
}

export function useReassignTargets(actionId: string, enabled: boolean) {
  // Asked again after a minute: an organizer added meanwhile must bring
  // the Reassign buttons back (the cache's default keeps answers for good).
  return useQuery({ queryKey: keys.reassignTargets(actionId), queryFn: () => reassignTargets(actionId), enabled, staleTime: 60_000 });
}

export function useReassignableCount(actionId: string, enabled: boolean) {
  return useQuery({ queryKey: keys.reassignableCount(actionId), queryFn: () => reassignableCount(actionId), enabled });
}

/** Reassigns one conversation ({threadId}) or every conversation of the action the volunteer holds ({actionId}). */
export function useReassign() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { threadId?: string; actionId?: string; toUserId: string; note: string }) =>
      v.threadId ? reassign(v.threadId, v.toUserId, v.note).then(() => 1) : reassignAll(v.actionId ?? '', v.toUserId, v.note),
    onSuccess: (_n, v) => {
      if (v.threadId) refreshInbox(qc, v.threadId);
      else {
        void qc.invalidateQueries({ queryKey: keys.every.thread });
        void qc.invalidateQueries({ queryKey: keys.every.threads });
        void qc.invalidateQueries({ queryKey: keys.every.counts });
      }
      void qc.invalidateQueries({ queryKey: keys.every.reassignableCount });
    },
  });
}

/** The segment count of what is about to be sent, by the Go rule; the last answer stays while the next is asked. */
export function useSegments(body: string) {
  return useQuery({
    queryKey: keys.segments(body),
    queryFn: () => segmentCount(body),
    enabled: body !== '',
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    gcTime: 10_000,
  });
}
