import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { adminOverview, adminThread, handledUnroutable, setUnroutableHandled, type AdminOverview } from '../../backend';
import { keys } from '../../lib/queryKeys';
import { useCampaigns } from '../campaigns/hooks';

/** Whether the volunteer is an admin of the campaign (api.Campaign.role). */
export function useIsAdmin(campaignId: string): boolean {
  const campaigns = useCampaigns().data ?? [];
  return campaigns.find((c) => c.id === campaignId)?.role === 'admin';
}

/** Every text of a conversation of the campaign (a blocked one), read when its report is opened. */
export function useAdminThread(campaignId: string, threadId: string) {
  return useQuery({ queryKey: keys.adminThread(campaignId, threadId), queryFn: () => adminThread(campaignId, threadId) });
}

export function useAdminOverview(campaignId: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.admin(campaignId),
    queryFn: () => adminOverview(campaignId),
    enabled: enabled && campaignId !== '',
    // Abuse reports, unroutable texts and opt-ins are read from the server,
    // not from the sync feed, so no Go-side event says they changed: fetch
    // on each opening and every half minute while on screen.
    staleTime: 0,
    refetchInterval: 30_000,
  });
}

/** The unroutable texts marked handled, read when the admin asks to see them. */
export function useHandledUnroutable(campaignId: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.adminHandled(campaignId),
    queryFn: () => handledUnroutable(campaignId),
    enabled,
    staleTime: 0,
    refetchInterval: 30_000,
  });
}

/**
 * Marks an unroutable text handled or open again. It goes to the server at
 * once, as the Admin section's reads do (not through the outbox: nothing of
 * it is in the local cache); offline it fails and the row says why. On
 * success the text moves between the lists at once, then both are read
 * again, and onDone runs (here, not in mutate's callbacks, which do not run
 * once the row that asked has left its list).
 */
export function useMarkHandled(campaignId: string, onDone?: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; handled: boolean }) => setUnroutableHandled(campaignId, v.id, v.handled),
    onSuccess: (text, v) => {
      qc.setQueryData<AdminOverview>(keys.admin(campaignId), (o) => {
        if (!o) return o;
        const open = o.unroutable.filter((u) => u.id !== v.id);
        return {
          ...o,
          unroutable: v.handled ? open : newestFirst([text, ...open]),
          unroutableHandled: Math.max(0, (o.unroutableHandled ?? 0) + (v.handled ? 1 : -1)),
        };
      });
      qc.setQueryData<AdminOverview['unroutable']>(keys.adminHandled(campaignId), (list) =>
        list && (v.handled ? newestFirst([text, ...list.filter((u) => u.id !== v.id)]) : list.filter((u) => u.id !== v.id)),
      );
      void qc.invalidateQueries({ queryKey: keys.admin(campaignId), exact: true });
      void qc.invalidateQueries({ queryKey: keys.adminHandled(campaignId), exact: true });
      onDone?.();
    },
  });
}

const newestFirst = (list: AdminOverview['unroutable']) => list.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
