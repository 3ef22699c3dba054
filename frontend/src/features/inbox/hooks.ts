import { useCallback, useContext } from 'react';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import {
  UNSAFE_DataRouterContext,
  useLocation,
  useNavigate,
  useParams,
  useSearchParams,
  type DataRouter,
} from 'react-router';
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
import { keys, threadsKeyParts } from '../../lib/queryKeys';

/**
 * Rows a page of the list asks the cache for: 50 fill the tallest window several times over,
 * and a page of 50 is what `make bench` times (Cache100k: p99 0.41-0.56 ms at 100,000
 * threads); pages of 200 took 1.6 ms at p99, past the inbox's 1 ms goal (PERFORMANCE-LOG.md,
 * "Pages of 50 rows"). app/boot.go's BootPageSize is the same.
 */
export const pageSize = 50;

export function useCounts(campaignId: string) {
  return useQuery({ queryKey: keys.counts(campaignId), queryFn: () => counts(campaignId), enabled: campaignId !== '' });
}

/**
 * Unread conversations per campaign, from each campaign's own counts (the
 * same queries the inbox shows, kept fresh by the same events): the
 * campaign switcher says where replies wait, for a volunteer in several.
 */
export function useUnreadByCampaign(campaignIds: string[]): Record<string, number> {
  const results = useQueries({
    queries: campaignIds.map((id) => ({ queryKey: keys.counts(id), queryFn: () => counts(id) })),
  });
  const out: Record<string, number> = {};
  campaignIds.forEach((id, i) => {
    out[id] = results[i]?.data?.unread ?? 0;
  });
  return out;
}

/**
 * Where "open the unread replies" goes when it names no campaign (the
 * tray's "3 unread replies", which counts every campaign): the campaign on
 * screen if replies wait there, else the campaign with the most waiting, so
 * the click never lands on an empty Unread while the tray counts some
 * elsewhere. Without unread replies anywhere, the campaign on screen.
 */
export async function campaignWithUnread(qc: QueryClient, onScreen: string | undefined, campaignIds: string[]) {
  const unread = async (id: string) => (await qc.fetchQuery({ queryKey: keys.counts(id), queryFn: () => counts(id) })).unread ?? 0;
  if (onScreen && (await unread(onScreen)) > 0) return onScreen;
  let best = onScreen;
  let most = 0;
  for (const id of campaignIds) {
    const n = id === onScreen ? 0 : await unread(id);
    if (n > most) [best, most] = [id, n];
  }
  return best;
}

/** The list of one filter and search, loaded a page at a time as it scrolls. */
export function useThreadList(campaignId: string, filter: FilterName, query: string) {
  return useInfiniteQuery({
    queryKey: keys.threads(campaignId, filter, query),
    queryFn: ({ pageParam }) => threads(filter, campaignId, query, pageParam, pageSize),
    initialPageParam: 0,
    // Offsets count the rows loaded, so rows placed or removed by events
    // (placeRows, patchRows) never make the next page repeat or skip one.
    getNextPageParam: (last, all) =>
      last.length >= pageSize ? all.reduce((n, page) => n + page.length, 0) : undefined,
    enabled: campaignId !== '',
    // While the next filter or search loads, the rows on screen stay: the list does not
    // flash empty, and a row with keyboard focus is not pulled from under it.
    placeholderData: keepPreviousData,
  });
}

/**
 * Writes the inbox's search params on the router's location as it is at the
 * moment of writing, never on a render's copy of it: the search box's
 * debounced clear fires from a render made before a filter click had landed
 * (on a busy machine the list re-renders late), and built on that copy it put
 * the old filter back. The router navigates asynchronously, so a write made
 * before the previous one has landed builds on that one (`pending`, per
 * router: the location it was made on, and what it asked for).
 */
const pending = new WeakMap<DataRouter, { from: string; to: string }>();

function writeParams(router: DataRouter, edit: (p: URLSearchParams) => void, replace: boolean) {
  const now = router.state.location.search;
  const last = pending.get(router);
  const next = new URLSearchParams(last && last.from === now ? last.to : now);
  edit(next);
  const search = next.toString() ? `?${next.toString()}` : '';
  pending.set(router, { from: now, to: search });
  // No pathname: the write stays on the screen it was made on (inbox or conversation).
  void router.navigate({ search }, { replace });
}

function useRouter(): DataRouter {
  const ctx = useContext(UNSAFE_DataRouterContext);
  if (!ctx) throw new Error('the inbox needs a data router (createHashRouter)');
  return ctx.router;
}

/** The inbox's place in the URL: campaign, filter and search (so Back returns to them). */
export function useInboxParams() {
  const { campaignId = '', threadId } = useParams();
  const [params] = useSearchParams();
  const router = useRouter();
  const raw = params.get('filter');
  const filter: FilterName = filters.some((f) => f.name === raw) ? (raw as FilterName) : 'all';
  const query = params.get('q') ?? '';
  const setFilter = useCallback(
    (f: FilterName) =>
      writeParams(
        router,
        (next) => {
          if (f === 'all') next.delete('filter');
          else next.set('filter', f);
        },
        false,
      ),
    [router],
  );
  const setQuery = useCallback(
    (q: string) =>
      writeParams(
        router,
        (next) => {
          if (q === '') next.delete('q');
          else next.set('q', q);
        },
        true,
      ),
    [router],
  );
  return { campaignId, threadId, filter, query, setFilter, setQuery };
}

/** Navigates within the current campaign, keeping the inbox's filter and search. */
export function useInboxNavigate() {
  const navigate = useNavigate();
  const { search } = useLocation();
  const { campaignId = '' } = useParams();
  return useCallback(
    (path: string, state?: unknown) => navigate({ pathname: `/c/${campaignId}${path}`, search }, { state }),
    [navigate, search, campaignId],
  );
}

/** Whether a row is listed under filter: the Go side says so (backend/inbox FiltersOf), this only reads it. */
function belongs(filter: string, t: ThreadSummary): boolean {
  return (t.filters ?? []).includes(filter);
}

/** The list's order: newest message first, then id, as the Go side sorts. */
function before(a: ThreadSummary, b: ThreadSummary): boolean {
  const ta = Date.parse(a.lastMessageAt);
  const tb = Date.parse(b.lastMessageAt);
  return ta !== tb ? ta > tb : a.id > b.id;
}

/**
 * Puts changed conversations (an inbox:changed event's rows, as they are now) in
 * their place in every loaded list without a search: out of the lists they
 * left, into the ones they joined at their position, so a reply shows in the
 * frame after its event. A row that sorts after everything loaded while more
 * is left to load is left for that page. Searches are refetched instead.
 */
export function placeRows(qc: QueryClient, changed: ThreadSummary[]) {
  if (changed.length === 0) return;
  const ids = new Set(changed.map((t) => t.id));
  for (const [key, data] of qc.getQueriesData<InfiniteData<ThreadSummary[], number>>({ queryKey: keys.every.threads })) {
    const parts = threadsKeyParts(key);
    if (!data || !parts || parts.query !== '') continue;
    const { campaignId, filter } = parts;
    const more = qc.getQueryState(key)?.data !== undefined && data.pages.at(-1)?.length === pageSize;
    const pages = data.pages.map((page) => page.filter((t) => !ids.has(t.id)));
    for (const t of changed) {
      if (t.campaignId !== campaignId || !belongs(filter, t)) continue;
      let placed = false;
      for (const page of pages) {
        const i = page.findIndex((r) => before(t, r));
        if (i >= 0) {
          page.splice(i, 0, t);
          placed = true;
          break;
        }
      }
      if (!placed && !more) (pages.at(-1) ?? pages[pages.push([]) - 1]).push(t);
    }
    qc.setQueryData(key, { ...data, pages });
  }
}

/** Applies fn to the row of threadId in every loaded list, in place (where it is listed is for the Go side to say). */
export function patchRows(qc: QueryClient, threadId: string, fn: (t: ThreadSummary) => ThreadSummary) {
  for (const [key, data] of qc.getQueriesData<InfiniteData<ThreadSummary[], number>>({ queryKey: keys.every.threads })) {
    if (!data || !data.pages.some((page) => page.some((t) => t.id === threadId))) continue;
    const pages = data.pages.map((page) => page.map((t) => (t.id === threadId ? fn(t) : t)));
    qc.setQueryData(key, { ...data, pages });
  }
}

/** Takes threadId out of every loaded list: it is moving, and the Go side's inbox:changed row says where to. */
function takeOut(qc: QueryClient, threadId: string) {
  for (const [key, data] of qc.getQueriesData<InfiniteData<ThreadSummary[], number>>({ queryKey: keys.every.threads })) {
    if (!data || !data.pages.some((page) => page.some((t) => t.id === threadId))) continue;
    qc.setQueryData(key, { ...data, pages: data.pages.map((page) => page.filter((t) => t.id !== threadId)) });
  }
}

/**
 * Archive or unarchive, from a row or the open conversation. The row leaves the
 * lists and the conversation shows its new state at once; the Go side's
 * inbox:changed then brings the row, with the filters it is now listed
 * under, and the counts. A failure puts everything back and is shown by the
 * caller.
 */
export function useArchive() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { threadId: string; archived: boolean }) => archive(v.threadId, v.archived),
    onMutate: async ({ threadId, archived }) => {
      await qc.cancelQueries({ queryKey: keys.every.threads });
      await qc.cancelQueries({ queryKey: keys.thread(threadId) });
      const lists = qc.getQueriesData({ queryKey: keys.every.threads });
      const view = qc.getQueryData<ThreadView>(keys.thread(threadId));
      const reason = archived ? 'user' : '';
      takeOut(qc, threadId);
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
      void qc.invalidateQueries({ queryKey: keys.every.counts });
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
