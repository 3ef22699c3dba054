import type { BlockReason, FilterName } from '../backend';

// What the volunteer reads for each action type, in the inbox and on actions:
// the spec's names of the types (Volunteer 2). The inbox filters Friends, Team
// and Canvassing below are the spec's filter names, and differ on purpose.
const actionTypeLabels: Record<string, string> = {
  p2p: 'Peer-to-Peer',
  broadcast: 'Broadcast',
  friends: 'Friend-to-friend',
  team: 'Team chat',
  canvassing: 'Canvassing',
};

export function actionTypeLabel(type: string): string {
  return actionTypeLabels[type] ?? type;
}

export const filters: { name: FilterName; label: string }[] = [
  { name: 'all', label: 'All' },
  { name: 'unread', label: 'Unread' },
  { name: 'needs_attention', label: 'Needs Attention' },
  { name: 'archive', label: 'Archive' },
  { name: 'friends', label: 'Friends' },
  { name: 'team', label: 'Team' },
  { name: 'canvassing', label: 'Canvassing' },
];

/** Why a contact was blocked (Report abuse), in the order the dialog offers them; a Record, so a reason Go adds must be named here. */
const blockReasonLabels: Record<BlockReason, string> = { harassment: 'Harassment', threats: 'Threats', spam: 'Spam', other: 'Other' };
export const blockReasons = Object.entries(blockReasonLabels).map(([value, label]) => ({ value: value as BlockReason, label }));

/** A report of abuse's reason as the organizer reads it (an unknown one as it came). */
export function blockReasonLabel(reason: string): string {
  return blockReasonLabels[reason as BlockReason] ?? reason;
}

/** An inbox filter's name as the sidebar shows it. */
export function filterLabel(name: FilterName): string {
  return filters.find((f) => f.name === name)?.label ?? name;
}

/** How long a conversation sits without a message before the server archives it, in months of 30 days: Go's inbox.InactiveAfter (app/frontend_values_test.go keeps them equal). */
const inactiveMonths = 2;

/** Why a conversation is in the Archive, in the volunteer's words ("" when it is not). */
export function archivedReasonLabel(reason: string | undefined): string {
  switch (reason) {
    case 'user':
      return 'Archived by you';
    case 'report':
      return 'Archived after report';
    case 'inactive':
      return `Archived: no activity in ${inactiveMonths} months`;
    default:
      return reason ? 'Archived' : '';
  }
}

/**
 * What an empty conversation list says: why it is empty, and for a new
 * volunteer where to start. An admin's inbox also receives the conversations
 * volunteers reassign to them.
 */
export function emptyListText(filter: FilterName, query: string, admin = false, openMoved?: 'archived' | 'unarchived'): string {
  if (query) {
    const where = filter === 'all' ? '' : ` in ${filterLabel(filter)}`;
    // The search found the open conversation, which has just been (un)archived out of this list:
    // "no conversation matches" beside it would be untrue.
    if (openMoved) return `The only conversation${where} matching "${query}" is ${openMoved} now.`;
    return `No conversation${where} matches "${query}".`;
  }
  switch (filter) {
    case 'all':
      return admin
        ? 'No conversations yet. Conversations volunteers reassign to you show up here, as do replies to your own texts (pick an action under Actions and press Start).'
        : 'No conversations yet. Pick an action under Actions and press Start: replies to your texts show up here.';
    case 'unread':
      return 'No unread conversations.';
    case 'needs_attention':
      return 'Nothing needs attention: every reply has an answer and a report.';
    case 'archive':
      return 'No archived conversations. Archive one (or press E on it) to move it here.';
    case 'friends':
    case 'team':
    case 'canvassing':
      // A filter holds one action type's conversations: named as the type is on each row.
      return `No ${actionTypeLabel(filter)} conversations.`;
  }
  return 'No conversations here.';
}

/** What an archived campaign's action says to its volunteers (its page, and the send screen when the archive comes mid-batch). */
export const archivedCampaignNotice = 'This campaign is archived: no more first texts go out. You can still answer your conversations in the inbox.';

/**
 * Beside the name of a campaign its organizers archived (its volunteers keep answering its
 * conversations), in words rather than a colour: the switcher, its menu, the top bar, the sidebar.
 */
export const archivedCampaignLabel = 'Archived';

/** What a screen reader says for a campaign's name: the whole name, and that it is archived. */
export function spokenCampaignName(name: string, archived: boolean): string {
  return archived ? `${name}, ${archivedCampaignLabel.toLowerCase()}` : name;
}
