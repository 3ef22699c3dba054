import type { QueryClient } from '@tanstack/react-query';
import {
  appSettings,
  campaigns,
  counts,
  status,
  threads,
  type Action,
  type Campaign,
  type Counts,
  type Settings,
  type SettingsView,
  type Status,
  type ThreadSummary,
} from '../backend';
import { pageSize } from '../features/inbox/hooks';
import { rememberedCampaign } from '../features/session/hooks';
import { keys } from './queryKeys';

/**
 * The first screen's data as the Go side puts it into index.html
 * (app/boot.go): what Settings.Get, Account.Status, Account.Campaigns,
 * Inbox.Settings and, per campaign, Account.Actions, Inbox.Counts and the
 * first page of Inbox.Threads("all") would answer, read from the local cache
 * while WebKit started.
 */
interface BootData {
  pageSize: number;
  settings?: SettingsView;
  status: Status;
  campaigns: Campaign[] | null;
  inboxSettings?: Settings;
  actions?: Record<string, Action[] | null> | null;
  counts: Record<string, Counts | null> | null;
  threads: Record<string, ThreadSummary[] | null> | null;
}

/** The boot data in the page, or undefined (a reload, tests, a page served without it). */
function readBoot(doc: Document): BootData | undefined {
  const el = doc.getElementById('textbank-boot');
  if (!el?.textContent) return undefined;
  try {
    return JSON.parse(el.textContent) as BootData;
  } catch {
    return undefined;
  }
}

/**
 * Puts the boot data under the keys the screens' own hooks read, so the
 * first render already has the cached inbox: no round trip to Go before the
 * rows paint. Returns the keys it filled (none: the page had no boot data),
 * which refreshSeeded asks Go for again once the inbox is on screen.
 */
export function seedFromPage(qc: QueryClient, doc: Document = document): readonly (readonly unknown[])[] {
  const boot = readBoot(doc);
  if (!boot) return [];
  const seeded: (readonly unknown[])[] = [];
  const put = (key: readonly unknown[], value: unknown) => {
    qc.setQueryData(key, value);
    seeded.push(key);
  };
  if (boot.settings) put(keys.appSettings, boot.settings);
  put(keys.status, boot.status);
  if (!boot.status.signedIn) return seeded;
  put(keys.campaigns, boot.campaigns ?? []);
  if (boot.inboxSettings) put(keys.settings, boot.inboxSettings);
  for (const [id, list] of Object.entries(boot.actions ?? {})) put(keys.actions(id), list ?? []);
  if (boot.pageSize !== pageSize) return seeded;
  for (const [id, rows] of Object.entries(boot.threads ?? {})) {
    const c = boot.counts?.[id];
    if (c === undefined) continue;
    put(keys.counts(id), c ?? {});
    put(keys.threads(id, 'all', ''), { pages: [rows ?? []], pageParams: [0] });
  }
  return seeded;
}

/**
 * The boot data was read before the window could hear the Go side's
 * events: once the inbox is on screen, ask again for what it filled (the
 * answers are equal unless something changed meanwhile, e.g. the first
 * sync round brought news).
 */
export function refreshSeeded(qc: QueryClient, seeded: readonly (readonly unknown[])[]) {
  for (const queryKey of seeded) void qc.invalidateQueries({ queryKey, exact: true });
}

/**
 * Without boot data in the page, asks the Go side for everything the first
 * screen shows, at once, before React has rendered anything: who is signed
 * in, the campaigns, and the remembered campaign's counts and first page of
 * conversations (all read from the local cache, none waits for the
 * network). Without this the screens ask one after another as they mount
 * (status, then campaigns, then the list), each a round trip to Go after a
 * render. The entries are the ones the screens' own hooks read (same keys,
 * same calls), so they find them there. Only the URL the window opens on
 * (the start route, or a campaign's unfiltered inbox) is prefetched.
 */
export function prefetchStart(qc: QueryClient, hash: string) {
  void qc.prefetchQuery({ queryKey: keys.appSettings, queryFn: appSettings });
  const remembered = rememberedCampaign();
  const campaignId = hash === '' || hash === '#/' ? remembered : hash.match(/^#\/c\/([^/?]+)\/?$/)?.[1];
  void qc.prefetchQuery({ queryKey: keys.status, queryFn: status }).then(() => {
    // Signed out: the start route goes to sign-in, and campaigns would fail.
    if (!qc.getQueryData<{ signedIn: boolean }>(keys.status)?.signedIn) return;
    void qc.prefetchQuery({ queryKey: keys.campaigns, queryFn: campaigns });
    if (!campaignId) return;
    void qc.prefetchQuery({ queryKey: keys.counts(campaignId), queryFn: () => counts(campaignId) });
    void qc.prefetchInfiniteQuery({
      queryKey: keys.threads(campaignId, 'all', ''),
      queryFn: ({ pageParam }) => threads('all', campaignId, '', pageParam, pageSize),
      initialPageParam: 0,
      // Only the first page is fetched here; the list's own hook (useThreadList) pages on.
      getNextPageParam: () => undefined as number | undefined,
    });
  });
}
