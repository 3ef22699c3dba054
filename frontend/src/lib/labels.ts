import type { FilterName } from '../backend';

// What the volunteer reads for each action type, in the inbox and on actions.
const actionTypeLabels: Record<string, string> = {
  p2p: 'Peer-to-Peer',
  broadcast: 'Broadcast',
  friends: 'Friend-to-Friend',
  team: 'Team',
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

export function filterLabel(name: FilterName): string {
  return filters.find((f) => f.name === name)?.label ?? name;
}

/** Why a thread is in the Archive, in the volunteer's words ("" when it is not). */
export function archivedReasonLabel(reason: string | undefined): string {
  switch (reason) {
    case 'user':
      return 'Archived by you';
    case 'report':
      return 'Archived after report';
    case 'inactive':
      return 'Archived: inactive';
    default:
      return reason ? 'Archived' : '';
  }
}
