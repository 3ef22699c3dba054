import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { actions, campaigns, joinCampaign, joinCampaignByID, searchCampaigns, type Campaign } from '../../backend';
import { keys } from '../../lib/queryKeys';

export function useCampaigns(enabled = true) {
  return useQuery({ queryKey: keys.campaigns, queryFn: campaigns, enabled });
}

export function useActions(campaignId: string) {
  return useQuery({ queryKey: keys.actions(campaignId), queryFn: () => actions(campaignId), enabled: campaignId !== '' });
}

export function useAction(campaignId: string, actionId: string) {
  const q = useActions(campaignId);
  return { ...q, data: q.data?.find((a) => a.id === actionId) };
}

export function useCampaignSearch(query: string) {
  const q = query.trim();
  return useQuery({
    queryKey: keys.campaignSearch(q),
    queryFn: () => searchCampaigns(q),
    enabled: q !== '',
    staleTime: 30_000,
  });
}

/**
 * Joins by code ({code}) or by a campaign found in search ({id}); the campaign list is refetched.
 * The server answers a campaign the volunteer is already in as it does a new one: already says
 * it was in the list before (read from this computer, so no more on the way to the server).
 */
export function useJoin(onJoined: (c: Campaign, already: boolean) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (v: { code: string } | { id: string }) => {
      const before = await qc.ensureQueryData({ queryKey: keys.campaigns, queryFn: campaigns }).catch((): Campaign[] => []);
      const c = await ('code' in v ? joinCampaign(v.code) : joinCampaignByID(v.id));
      return { campaign: c, already: before.some((b) => b.id === c.id) };
    },
    onSuccess: async ({ campaign, already }) => {
      await qc.invalidateQueries({ queryKey: keys.campaigns });
      onJoined(campaign, already);
    },
  });
}
