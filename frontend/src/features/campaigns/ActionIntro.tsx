import type { Action } from '../../backend';
import { ActionFacts, SendingNumberNote } from './ActionFacts';
import { Lines, Paragraphs, paragraphs } from './ActionInstructions';
import { ReassignAllOfAction } from '../thread/ReassignDialog';
import { useCampaigns } from './hooks';
import { CampaignContact } from './CampaignContact';
import { TypeLabel } from '../../components/TypeLabel';
import { archivedCampaignNotice } from '../../lib/labels';
import { useQueue } from '../send/hooks';

interface ActionIntroProps {
  action: Action;
  onStart: () => void;
  onBackToInbox: () => void;
}

/** What the volunteer reads before texting: the action's purpose and how to do it. */
export function ActionIntro({ action, onStart, onBackToInbox }: ActionIntroProps) {
  const instructions = paragraphs(action.instructions);
  const campaign = useCampaigns().data?.find((c) => c.id === action.campaignId);
  // No one left to text, as the server last said, and nobody waiting on this computer: Start only led to
  // the send screen's All done. Said here in its words, with its buttons (the count is -1 until the server said).
  const queued = useQueue(action.id).data;
  const allDone = queued?.remaining === 0 && queued.items.length === 0;
  const archived = campaign?.archived === true;
  return (
    <section className="pane action-intro" aria-labelledby="action-title">
      <header>
        <h1 id="action-title">{action.title}</h1>
        <TypeLabel type={action.type} />
      </header>
      {action.description && (
        <p className="description">
          <Lines text={action.description} />
        </p>
      )}
      <ActionFacts action={action} number={false} />
      <SendingNumberNote action={action} />
      {/* Said instead of Start, whose Text Again the server would refuse (an archive is for good): the
          volunteer's work left is their conversations, so the inbox is the step offered. */}
      {archived && (
        <p className="notice">{archivedCampaignNotice}</p>
      )}
      <CampaignContact campaignId={action.campaignId} />
      <h2>Instructions</h2>
      {instructions.length > 0 ? (
        <Paragraphs paras={instructions} />
      ) : (
        <div className="instructions">
          <p className="muted">No instructions for this action.</p>
        </div>
      )}
      {archived ? (
        <div className="send-controls">
          <button type="button" className="primary big" onClick={onBackToInbox} autoFocus>
            Back to the inbox
          </button>
        </div>
      ) : allDone ? (
        <div className="batch-done">
          <h2>All done</h2>
          <p>No one is left to text in this action. Replies to your texts come to your inbox.</p>
          {/* Text Again, as on the send screen: contacts the organizer adds later are asked for there. */}
          <div className="send-controls">
            <button type="button" className="primary big" onClick={onBackToInbox} autoFocus>
              Back to the inbox
            </button>
            <button type="button" onClick={onStart}>
              Text Again
            </button>
          </div>
        </div>
      ) : (
        // Focus lands here: described by the action's title, so a screen reader says what Start starts.
        <button type="button" className="primary big" onClick={onStart} autoFocus aria-describedby="action-title">
          Start
        </button>
      )}
      <ReassignAllOfAction campaignId={action.campaignId} actionId={action.id} actionTitle={action.title} />
    </section>
  );
}
