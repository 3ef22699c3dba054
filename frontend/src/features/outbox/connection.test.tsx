import { screen, waitFor } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aStatus, aThreadView } from '../../test/fixtures';
import { openThread } from '../../test/openThread';
import type { Status } from '../../backend';
import { connectionOf } from './connection';

describe('connectionOf, the one answer to "is it offline"', () => {
  it.each<[Partial<Status>, string]>([
    [{ connection: 'online' }, 'online'],
    [{ connection: 'offline', online: false }, 'offline'],
    [{ connection: 'connecting', online: false }, 'connecting'],
    // A status without the connection (an older Go side): by its online flag.
    [{ connection: '' as Status['connection'], online: false }, 'offline'],
    [{ connection: '' as Status['connection'], online: true }, 'online'],
  ])('%o is %s', (over, want) => {
    expect(connectionOf(aStatus(over))).toBe(want);
  });

  it('is online before the first status', () => {
    expect(connectionOf(undefined)).toBe('online');
  });

  // The conversation asked the question its own way (connection === 'offline'), so a status the
  // status bar read as "Offline" had its texts and reports "sending…" beside it.
  it('is what the conversation asks, as the status bar does', async () => {
    fake.status.mockResolvedValue(aStatus({ connection: '' as Status['connection'], online: false, pending: 1 }));
    await openThread(
      aThreadView({
        reports: [{ id: 'r1', threadId: 't1', values: { notes: 'call back' }, submittedAt: '2026-01-02T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' }],
        pendingReports: ['r1'],
        latestReport: { notes: 'call back' },
      }),
    );
    const summary = screen.getByRole('region', { name: 'Report' });
    await waitFor(() => expect(summary).toHaveTextContent('not sent yet: goes out when you are back online'));
  });
});
