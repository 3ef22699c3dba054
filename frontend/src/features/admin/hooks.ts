import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { adminOptOuts, adminOverview, adminThread, type Campaign, type OptIn } from '../../backend';
import { keys } from '../../lib/queryKeys';
import { useCampaigns } from '../campaigns/hooks';
import { useMarkedRows } from './marks';

/** Whether the volunteer is an admin (an organizer) of the campaign (api.Campaign.role). */
export const isAdmin = (c: Campaign | undefined): boolean => c?.role === 'admin';

export function useIsAdmin(campaignId: string): boolean {
  const campaigns = useCampaigns().data ?? [];
  return isAdmin(campaigns.find((c) => c.id === campaignId));
}

/** Whether an organizer archived the campaign (its Admin page stays, with what came in since). */
export function useIsArchived(campaignId: string): boolean {
  const campaigns = useCampaigns().data ?? [];
  return !!campaigns.find((c) => c.id === campaignId)?.archived;
}

/** Every text of a conversation of the campaign (a blocked one) and its number's opt-out, read when its report is opened. */
export function useAdminThread(campaignId: string, threadId: string, enabled = true) {
  return useQuery({ queryKey: keys.adminThread(campaignId, threadId), queryFn: () => adminThread(campaignId, threadId), enabled });
}

export function useAdminOverview(campaignId: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.admin(campaignId),
    queryFn: () => adminOverview(campaignId),
    enabled: enabled && campaignId !== '',
    // Abuse reports, unroutable texts and opt-ins are read from the server,
    // not from the sync feed: fetched on each opening and whenever the
    // server says the section changed (admin:changed, useBackendEvents);
    // every half minute while on screen in case such an event was missed
    // (the event stream was down).
    staleTime: 0,
    refetchInterval: 30_000,
  });
}

/**
 * The campaign's opted-out conversations, a page at a time (Show older asks for the next), newest opt-out first. Read
 * again as the overview is: on admin:changed (its key is under the overview's) and every half minute while on screen.
 */
export function useAdminOptOuts(campaignId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: keys.adminOptOuts(campaignId),
    queryFn: ({ pageParam }) => adminOptOuts(campaignId, pageParam),
    initialPageParam: '',
    getNextPageParam: (last) => last.next || undefined,
    enabled: enabled && campaignId !== '',
    staleTime: 0,
    refetchInterval: 30_000,
  });
}

/**
 * For an organizer, the START an opted-out contact texted in this conversation since, still to act on (its
 * number still opted out, nobody opted them back in): the conversation says it, with Opt Back In. An open one is
 * read from what the Admin section fetched, never fetched for this: a volunteer's conversation asks nothing. One
 * marked reviewed has left that list: the reviewed ones are read when the conversation's opt-out (the server's
 * AdminOptOut.start, read for an organizer's opted-out conversation) says its START is among them.
 */
export function useStartToOptBackIn(campaignId: string, threadId: string): OptIn | undefined {
  const admin = useIsAdmin(campaignId);
  const overview = useAdminOverview(campaignId, false).data;
  const toActOn = (i: OptIn) => i.threadId === threadId && i.optedOut && !i.optedBackInAt;
  const open = admin ? overview?.optIns?.find(toActOn) : undefined;
  const startAt = useAdminThread(campaignId, threadId, false).data?.optOut?.start;
  const inReviewed = admin && !open && startAt === 'reviewed';
  const reviewed = useMarkedRows('optIns', campaignId, inReviewed).data;
  return open ?? (inReviewed ? reviewed?.find(toActOn) : undefined);
}
