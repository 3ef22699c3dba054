import { act, screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aStatus, aThreadView } from '../../test/fixtures';
import { openThread } from '../../test/openThread';
import { keys } from '../../lib/queryKeys';

// A report filed offline shows in the conversation at once; the volunteer must be able to tell it
// from one the campaign has, as they can a reply waiting to send.
describe('a report filed offline', () => {
  const filed = () =>
    aThreadView({
      reports: [
        { id: 'r2', threadId: 't1', values: { notes: 'call back Friday' }, submittedAt: '2026-01-02T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
        { id: 'r1', threadId: 't1', values: { notes: 'asked about polls' }, submittedAt: '2026-01-01T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
      ],
      pendingReports: ['r2'],
      latestReport: { notes: 'call back Friday' },
    });

  it('says it has not been sent while offline, and that it is on its way once back online', async () => {
    fake.status.mockResolvedValue(aStatus({ online: false, connection: 'offline', pending: 1 }));
    const { queryClient } = await openThread(filed());
    const summary = screen.getByRole('region', { name: 'Report' });
    await waitFor(() => expect(summary).toHaveTextContent('Not sent yet: your report goes to the campaign server when you are back online.'));
    const history = within(summary).getAllByRole('listitem');
    expect(history[0]).toHaveTextContent('not sent yet: goes out when you are back online');
    // The one the server has says nothing of the kind.
    expect(history[1]).not.toHaveTextContent(/not sent|sending/i);

    act(() => queryClient.setQueryData(keys.status, aStatus({ connection: 'online', pending: 1 })));
    await waitFor(() => expect(summary).not.toHaveTextContent('Not sent yet'));
    expect(history[0]).toHaveTextContent('sending…');
  });

  // Online, a sync the server keeps failing (it fails the report, or a change queued before it)
  // leaves the report waiting: "sending…" said it was on its way for as long as that lasted.
  it('online while sync keeps failing, says it has not gone through and that the Outbox says why', async () => {
    const failing = 'Something went wrong syncing with the campaign server. Textbank keeps trying.';
    fake.status.mockResolvedValue(aStatus({ connection: 'online', pending: 1, problem: failing }));
    const { queryClient } = await openThread(filed());
    const summary = screen.getByRole('region', { name: 'Report' });
    await waitFor(() =>
      expect(summary).toHaveTextContent('Not sent yet: your report has not gone through to the campaign server. The Outbox says why.'),
    );
    expect(within(summary).getByRole('link', { name: 'Outbox' })).toHaveAttribute('href', '/c/c1/outbox');
    const history = within(summary).getAllByRole('listitem');
    expect(history[0]).toHaveTextContent('not sent yet: the Outbox says why');
    expect(summary).not.toHaveTextContent(/sending/i);
    expect(history[1]).not.toHaveTextContent(/not sent/i);

    // Sync goes well again: the report is on its way.
    act(() => queryClient.setQueryData(keys.status, aStatus({ connection: 'online', pending: 1 })));
    await waitFor(() => expect(summary).not.toHaveTextContent('Not sent yet'));
    expect(history[0]).toHaveTextContent('sending…');
  });

  // The inbox beside the Outbox is the one the volunteer left: its filter and search go along, as
  // with the status bar's Outbox (the link dropped them, and the inbox came back unfiltered).
  it("links to the Outbox keeping the inbox's filter and search", async () => {
    const failing = 'Something went wrong syncing with the campaign server. Textbank keeps trying.';
    fake.status.mockResolvedValue(aStatus({ connection: 'online', pending: 1, problem: failing }));
    const { user, router } = await openThread(filed(), '?filter=unread&q=ana');
    const summary = screen.getByRole('region', { name: 'Report' });
    const outbox = await within(summary).findByRole('link', { name: 'Outbox' });
    expect(outbox).toHaveAttribute('href', '/c/c1/outbox?filter=unread&q=ana');
    await user.click(outbox);
    expect(router.state.location.pathname).toBe('/c/c1/outbox');
    expect(router.state.location.search).toBe('?filter=unread&q=ana');
  });

  it('once filed offline, says it is kept on this computer until the connection is back', async () => {
    fake.status.mockResolvedValue(aStatus({ online: false, connection: 'offline', pending: 0 }));
    const { user } = await openThread(aThreadView());
    await waitFor(() => expect(fake.status).toHaveBeenCalled());
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = await screen.findByRole('dialog', { name: 'Report on Ada Lovelace' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Notes' }), 'asked about polls');
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('Report saved on this computer: it goes out when you are back online'),
    );
  });
});
