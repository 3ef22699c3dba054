import { describe, expect, it } from 'vitest';
import { actionTypeLabel, blockReasonLabel, blockReasons, emptyListText, filters } from './labels';

describe('labels', () => {
  it('names action types as the spec does (Volunteer 2)', () => {
    expect(['p2p', 'broadcast', 'friends', 'team', 'canvassing'].map(actionTypeLabel)).toEqual([
      'Peer-to-Peer',
      'Broadcast',
      'Friend-to-friend',
      'Team chat',
      'Canvassing',
    ]);
  });

  it("keeps the spec's inbox filter names, which are not the type names", () => {
    expect(filters.map((f) => f.label)).toEqual(['All', 'Unread', 'Needs Attention', 'Archive', 'Friends', 'Team', 'Canvassing']);
  });

  it("an empty type filter names the type as each row's label does", () => {
    expect(emptyListText('friends', '')).toBe('No Friend-to-friend conversations.');
    expect(emptyListText('team', '')).toBe('No Team chat conversations.');
    expect(emptyListText('canvassing', '')).toBe('No Canvassing conversations.');
    // A search names the filter, not the type.
    expect(emptyListText('team', 'ada')).toBe('No conversation in Team matches "ada".');
  });
});

describe('block reasons', () => {
  it('the dialog offers them in order, and a report reads each by the same label (an unknown one as it came)', () => {
    expect(blockReasons.map((r) => r.label)).toEqual(['Harassment', 'Threats', 'Spam', 'Other']);
    expect(blockReasons.map((r) => blockReasonLabel(r.value))).toEqual(['Harassment', 'Threats', 'Spam', 'Other']);
    expect(blockReasonLabel('doxxing')).toBe('doxxing');
  });
});
