import type { QueryClient } from '@tanstack/react-query';
import { appSettings, campaigns, counts, status, threads } from '../backend';
import { pageSize } from '../features/inbox/hooks';
import { rememberedCampaign } from '../features/session/hooks';
import { keys } from './queryKeys';

/**
 * Asks the Go side for everything the first screen shows, at once, before
 * React has rendered anything: who is signed in, the campaigns, and the
 * remembered campaign's counts and first page of conversations (all read
 * from the local cache, none waits for the network). Without this the
 * screens ask one after another as they mount (status, then campaigns, then
 * the list), each a round trip to Go after a render. The entries are the
 * ones the screens' own hooks read (same keys, same calls), so they find
 * them there. Only the URL the window opens on (the start route, or a
 * campaign's unfiltered inbox) is prefetched.
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
