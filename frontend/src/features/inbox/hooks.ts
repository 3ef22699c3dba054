import { useCallback } from 'react';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  archive,
  counts,
  setAutoArchive,
  settings,
  threads,
  type FilterName,
  type Settings,
  type ThreadSummary,
  type ThreadView,
} from '../../backend';
import { filters } from '../../lib/labels';
import { keys } from '../../lib/queryKeys';

export const pageSize = 200;

export function useCounts(campaignId: string) {
  return useQuery({ queryKey: keys.counts(campaignId), queryFn: () => counts(campaignId), enabled: campaignId !== '' });
}

/** The list of one filter and search, loaded a page at a time as it scrolls. */
export function useThreadList(campaignId: string, filter: FilterName, query: string) {
  return useInfiniteQuery({
    queryKey: keys.threads(campaignId, filter, query),
    queryFn: ({ pageParam }) => threads(filter, campaignId, query, pageParam, pageSize),
    initialPageParam: 0,
    getNextPageParam: (last, all) => (last.length === pageSize ? all.length * pageSize : undefined),
    enabled: campaignId !== '',
    // While the next filter or search loads, the rows on screen stay: the list does not
    // flash empty, and a row with keyboard focus is not pulled from under it.
    placeholderData: keepPreviousData,
  });
}

/** The inbox's place in the URL: campaign, filter and search (so Back returns to them). */
export function useInboxParams() {
  const { campaignId = '', threadId } = useParams();
  const [params, setParams] = useSearchParams();
  const raw = params.get('filter');
  const filter: FilterName = filters.some((f) => f.name === raw) ? (raw as FilterName) : 'all';
  const query = params.get('q') ?? '';
  const setFilter = useCallback(
    (f: FilterName) =>
      setParams((p) => {
        const next = new URLSearchParams(p);
        if (f === 'all') next.delete('filter');
        else next.set('filter', f);
        return next;
      }),
    [setParams],
  );
  const setQuery = useCallback(
    (q: string) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (q === '') next.delete('q');
          else next.set('q', q);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return { campaignId, threadId, filter, query, setFilter, setQuery };
}

/** Navigates within the current campaign, keeping the inbox's filter and search. */
export function useInboxNavigate() {
  const navigate = useNavigate();
  const { search } = useLocation();
  const { campaignId = '' } = useParams();
  return useCallback(
    (path: string) => navigate({ pathname: `/c/${campaignId}${path}`, search }),
    [navigate, search, campaignId],
  );
}

function belongs(filter: string, t: ThreadSummary): boolean {
  if (filter === 'archive') return t.archived;
  if (t.archived) return false;
  if (filter === 'unread') return t.unread;
  if (filter === 'needs_attention') return t.needsAttention;
  return true; // all, and the action-type filters, which archiving does not change
}

/** Applies fn to the row of threadId in every loaded list, dropping it from lists it no longer belongs to. */
export function patchRows(qc: QueryClient, threadId: string, fn: (t: ThreadSummary) => ThreadSummary) {
  for (const [key, data] of qc.getQueriesData<InfiniteData<ThreadSummary[], number>>({ queryKey: ['threads'] })) {
    if (!data) continue;
    const filter = String(key[2]);
    let touched = false;
    const pages = data.pages.map((page) =>
      page.flatMap((t) => {
        if (t.id !== threadId) return [t];
        touched = true;
        const next = fn(t);
        return belongs(filter, next) ? [next] : [];
      }),
    );
    if (touched) qc.setQueryData(key, { ...data, pages });
  }
}

/**
 * Archive or unarchive, from a row or the open thread. The row leaves the
 * list and the thread shows its new state at once; the Go side's
 * inbox:changed then brings the true counts and lists. A failure puts
 * everything back and is shown by the caller.
 */
export function useArchive() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { threadId: string; archived: boolean }) => archive(v.threadId, v.archived),
    onMutate: async ({ threadId, archived }) => {
      await qc.cancelQueries({ queryKey: ['threads'] });
      await qc.cancelQueries({ queryKey: keys.thread(threadId) });
      const lists = qc.getQueriesData({ queryKey: ['threads'] });
      const view = qc.getQueryData<ThreadView>(keys.thread(threadId));
      const reason = archived ? 'user' : '';
      patchRows(qc, threadId, (t) => ({ ...t, archived, archivedReason: reason }));
      if (view)
        qc.setQueryData<ThreadView>(keys.thread(threadId), {
          ...view,
          archived,
          archivedReason: reason,
          thread: { ...view.thread, archived, archivedReason: reason },
        });
      return { lists, view };
    },
    onError: (_err, { threadId }, ctx) => {
      ctx?.lists.forEach(([key, data]) => qc.setQueryData(key, data));
      if (ctx?.view) qc.setQueryData(keys.thread(threadId), ctx.view);
    },
    onSettled: (_d, _e, { threadId }) => {
      void qc.invalidateQueries({ queryKey: ['counts'] });
      void qc.invalidateQueries({ queryKey: keys.thread(threadId) });
    },
  });
}

export function useSettings() {
  return useQuery({ queryKey: keys.settings, queryFn: settings });
}

export function useSetAutoArchive() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (on: boolean) => setAutoArchive(on),
    onMutate: async (on) => {
      await qc.cancelQueries({ queryKey: keys.settings });
      const before = qc.getQueryData<Settings>(keys.settings);
      qc.setQueryData<Settings>(keys.settings, { ...(before ?? ({} as Settings)), autoArchive: on });
      return { before };
    },
    onError: (_e, _on, ctx) => qc.setQueryData(keys.settings, ctx?.before),
  });
}
