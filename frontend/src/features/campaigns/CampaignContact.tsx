import { isAdmin } from '../admin/hooks';
import { useCampaigns } from './hooks';

/**
 * Whom to ask about the campaign, as the campaign file names them (nothing
 * when it names nobody): the walkthrough's "reach out to your campaign
 * contact" needs someone to reach. Before an action's Start, and in the
 * inbox with no conversation open, where a volunteer unsure how to answer a
 * reply looks. An organizer is the one asked, or works beside them: they
 * read whom volunteers are sent to (the campaign file's line, to check).
 */
export function CampaignContact({ campaignId }: { campaignId: string }) {
  const campaign = useCampaigns().data?.find((c) => c.id === campaignId);
  const contact = campaign?.contact;
  if (!contact) return null;
  return (
    <p className="campaign-contact">
      {isAdmin(campaign) ? 'Volunteers with questions are told to ask' : 'Questions about the campaign'}: {contact}
    </p>
  );
}
