import { useCampaigns } from './hooks';

/**
 * Whom to ask about the campaign, as the campaign file names them (nothing
 * when it names nobody): the walkthrough's "reach out to your campaign
 * contact" needs someone to reach. Before an action's Start, and in the
 * inbox with no conversation open, where a volunteer unsure how to answer a
 * reply looks.
 */
export function CampaignContact({ campaignId }: { campaignId: string }) {
  const contact = useCampaigns().data?.find((c) => c.id === campaignId)?.contact;
  if (!contact) return null;
  return <p className="campaign-contact">Questions about the campaign: {contact}</p>;
}
