import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { adminEarlierTexts, adminOptOuts, adminOverview, adminThread, type Campaign, type OptIn } from '../../backend';
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

/** The latest texts of a conversation of the campaign (a blocked one) and its number's opt-out, read when its report is opened. */
export function useAdminThread(campaignId: string, threadId: string, enabled = true) {
  return useQuery({ queryKey: keys.adminThread(campaignId, threadId), queryFn: () => adminThread(campaignId, threadId), enabled });
}

/**
 * The texts of that conversation before the read's first (from: its id), a page at a time as Show earlier texts asks,
 * each page before the one above it. Keyed by from: a read whose first text moved on (replies came past the answer's
 * budget) starts again from its own, with nothing missed between.
 */
export function useEarlierTexts(campaignId: string, threadId: string, from: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: keys.adminEarlierTexts(campaignId, threadId, from),
    queryFn: ({ pageParam }) => adminEarlierTexts(campaignId, threadId, pageParam),
    initialPageParam: from,
    getNextPageParam: (last) => (last.earlier && last.messages.length > 0 ? last.messages[0].id : undefined),
    enabled: enabled && from !== '',
  });
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
 * number still opted out, nobody opted them back in): the conversation says it, with Opt Back In. Where it is,
 * the conversation's opt-out says (the server's AdminOptOut.start, read for an organizer's opted-out
 * conversation): an open one is in the Admin section's overview, read from the cache when the section has
 * fetched it and fetched here when it has not (or holds it not yet); one marked reviewed is among the reviewed
 * ones. A volunteer's conversation asks nothing. error: why the list that holds it could not be read.
 */
export function useStartToOptBackIn(campaignId: string, threadId: string): { optIn?: OptIn; error?: unknown } {
  const admin = useIsAdmin(campaignId);
  const toActOn = (i: OptIn) => i.threadId === threadId && i.optedOut && !i.optedBackInAt;
  const read = useAdminThread(campaignId, threadId, false).data?.optOut?.start;
  const startAt = admin ? read : undefined;
  const cached = useAdminOverview(campaignId, false).data?.optIns?.find(toActOn);
  const open = admin ? cached : undefined;
  const listed = useAdminOverview(campaignId, admin && !open && startAt === 'listed');
  const inReviewed = admin && !open && startAt === 'reviewed';
  const reviewed = useMarkedRows('optIns', campaignId, inReviewed);
  if (open) return { optIn: open };
  if (startAt === 'listed') return { error: listed.error ?? undefined };
  if (inReviewed) return { optIn: reviewed.data?.find(toActOn), error: reviewed.error ?? undefined };
  return {};
}
