import { act, screen, waitFor, within } from '@testing-library/react';
import { keys } from '../../lib/queryKeys';
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

// A report waiting to send, and Fill Report's word once saved, say the status bar's reason too.
describe('a report waiting to send', () => {
  const filed = () =>
    aThreadView({
      reports: [{ id: 'r1', threadId: 't1', values: { notes: 'call back' }, submittedAt: '2026-01-02T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' }],
      pendingReports: ['r1'],
      latestReport: { notes: 'call back' },
    });

  it('with the server busy, says so, not offline', async () => {
    fake.status.mockResolvedValue(aStatus({ connection: 'offline', online: false, pending: 1, serverBusy: true }));
    await openThread(filed());
    const summary = screen.getByRole('region', { name: 'Report' });
    await waitFor(() => expect(summary).toHaveTextContent('Not sent yet: the campaign server is busy, and Textbank tries again.'));
    expect(within(summary).getByRole('listitem')).toHaveTextContent('not sent yet: the campaign server is busy; Textbank tries again');
    expect(summary).not.toHaveTextContent(/back online|sending/i);
  });

  it('at a refused server address, says the Outbox says why, not offline', async () => {
    const why = 'Textbank does not send to http:// addresses.';
    fake.status.mockResolvedValue(aStatus({ connection: 'offline', online: false, pending: 1, serverRefused: why, problem: why }));
    await openThread(filed());
    const summary = screen.getByRole('region', { name: 'Report' });
    await waitFor(() => expect(summary).toHaveTextContent('The Outbox says why.'));
    expect(within(summary).getByRole('listitem')).toHaveTextContent('not sent yet: the Outbox says why');
    expect(summary).not.toHaveTextContent(/back online/);
  });

  it('once filed with the server busy, says it is kept on this computer, and why', async () => {
    fake.status.mockResolvedValue(aStatus({ connection: 'offline', online: false, serverBusy: true }));
    const { user } = await openThread(aThreadView());
    await waitFor(() => expect(fake.status).toHaveBeenCalled());
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = await screen.findByRole('dialog', { name: 'Report on Ada Lovelace' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Notes' }), 'asked about polls');
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('Report saved on this computer: the campaign server is busy; Textbank tries again'),
    );
  });
});

// A reply still in the outbox says why it has not gone, as the status bar does: "Sending…" read as on
// its way for as long as the server was busy, refused its address, or failed every sync.
describe('a reply waiting to send', () => {
  const failing = 'Something went wrong syncing with the campaign server. Textbank keeps trying.';
  it.each<[string, Partial<Status>, string]>([
    ['sync keeps failing', { connection: 'online', pending: 1, problem: failing }, 'Not sent yet: the Outbox says why'],
    ['the server is busy', { connection: 'offline', online: false, pending: 1, serverBusy: true }, 'Waiting to send: the campaign server is busy; Textbank tries again'],
    ['its address is refused', { connection: 'offline', online: false, pending: 1, serverRefused: 'Textbank does not send to http:// addresses.' }, 'Not sent yet: the Outbox says why'],
  ])('says why while %s, and Sending… once sync goes well', async (_, over, words) => {
    fake.status.mockResolvedValue(aStatus(over));
    const view = aThreadView();
    view.messages.push(
      { id: 'm3', threadId: 't1', direction: 'out', body: 'On my way', status: 'queued', createdAt: '2026-01-01T10:05:00Z', pending: true },
      // Taken by the server already: it sends it.
      { id: 'm4', threadId: 't1', direction: 'out', body: 'See you', status: 'queued', createdAt: '2026-01-01T10:06:00Z', pending: false },
    );
    const { queryClient } = await openThread(view);
    const items = () => within(screen.getByTestId('message-list')).getAllByRole('listitem');
    await waitFor(() => expect(items()[2]).toHaveTextContent(words));
    expect(items()[2]).not.toHaveTextContent(/Sending|offline/);
    expect(items()[3]).toHaveTextContent('Sending…');
    act(() => queryClient.setQueryData(keys.status, aStatus({ connection: 'online', pending: 1 })));
    await waitFor(() => expect(items()[2]).toHaveTextContent('Sending…'));
  });
});
