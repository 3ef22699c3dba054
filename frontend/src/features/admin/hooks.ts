import { useQuery } from '@tanstack/react-query';
import { adminOverview } from '../../backend';
import { keys } from '../../lib/queryKeys';
import { useCampaigns } from '../campaigns/hooks';

/** Whether the volunteer is an admin of the campaign (api.Campaign.role). */
export function useIsAdmin(campaignId: string): boolean {
  const campaigns = useCampaigns().data ?? [];
  return campaigns.find((c) => c.id === campaignId)?.role === 'admin';
}

export function useAdminOverview(campaignId: string, enabled: boolean) {
  return useQuery({ queryKey: keys.admin(campaignId), queryFn: () => adminOverview(campaignId), enabled: enabled && campaignId !== '' });
}
