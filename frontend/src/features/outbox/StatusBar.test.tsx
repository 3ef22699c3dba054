import { act, screen, waitFor } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, aStatus, aSummary, anAction } from '../../test/fixtures';
import { renderApp } from '../../test/render';

// Outbox opens beside the list as it is: a volunteer who searched, then looked at what waits
// to send, still has the search in the box and the list it found (the box followed the URL,
// which dropped both).
describe('the status bar', () => {
  it('Outbox keeps the list’s filter and search', async () => {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign()]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.counts.mockResolvedValue({ all: 1, unread: 1 });
    fake.threads.mockResolvedValue([aSummary(1, { contactName: 'Ada Lovelace' })]);
    fake.outbox.mockResolvedValue([]);
    const { user, router } = renderApp('/c/c1?filter=unread&q=Ada');
    const search = await screen.findByRole('searchbox');
    expect(search).toHaveValue('Ada');
    await user.click(screen.getByRole('button', { name: 'Outbox' }));
    await screen.findByRole('heading', { name: 'Outbox' });
    // Outbox pressed here is this screen, said as Settings says it on Settings.
    expect(screen.getByRole('button', { name: 'Outbox' })).toHaveAttribute('aria-current', 'page');
    expect(router.state.location.pathname + router.state.location.search).toBe('/c/c1/outbox?filter=unread&q=Ada');
    // Past the box's own delay: nothing writes it back or clears it.
    await new Promise((r) => setTimeout(r, 300));
    await waitFor(() => expect(screen.getByRole('searchbox')).toHaveValue('Ada'));
    expect(router.state.location.search).toBe('?filter=unread&q=Ada');
  });

  it("a report's opt-out an organizer undid is said so, not as an opt-back-in on a START", async () => {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign()]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.threads.mockResolvedValue([aSummary(1, { contactName: 'Ada Lovelace' })]);
    renderApp('/c/c1');
    await screen.findByRole('button', { name: 'Outbox' });
    act(() =>
      fake.emit('reply:new', { threadId: 't1', contactName: 'Ada Lovelace', body: '', optedBackIn: true, optedBackInBy: 'Olive Organizer', optOutUndone: true, at: '2026-11-29T12:00:00Z' }),
    );
    expect(await screen.findByText(/Ada Lovelace's opt-out was undone/)).toBeInTheDocument();
    expect(screen.queryByText(/opted back in|New reply from/)).not.toBeInTheDocument();
  });

  // A screen reader reads a live region when its words change: the second of two replies from one
  // contact must put its words in anew, or only the first is heard.
  it('says a second reply from the same contact again', async () => {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign()]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.threads.mockResolvedValue([aSummary(1, { contactName: 'Ada Lovelace' })]);
    renderApp('/c/c1');
    await screen.findByRole('button', { name: 'Outbox' });
    const reply = { threadId: 't1', contactName: 'Ada Lovelace', body: 'Yes', at: '2026-11-29T12:00:00Z' };
    act(() => fake.emit('reply:new', reply));
    const first = await screen.findByText('New reply from Ada Lovelace');
    act(() => fake.emit('reply:new', { ...reply, at: '2026-11-29T12:01:00Z' }));
    await waitFor(() => expect(first).not.toBeInTheDocument());
    expect(screen.getByText('New reply from Ada Lovelace').closest('[aria-live]')).toHaveAttribute('aria-live', 'polite');
  });
});

// A change the server refused stays in the Outbox until the volunteer dismisses it, but its notice
// lives only as long as the window: after a restart, the status bar is what says it is there.
describe('the status bar’s Outbox', () => {
  it('says how many changes the server refused, until they are dismissed', async () => {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign()]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.threads.mockResolvedValue([aSummary(1)]);
    fake.outbox.mockResolvedValue([
      { id: 'x1', type: 'report', summary: 'Report on Ada Lovelace', createdAt: '2026-01-01T10:00:00Z', attempts: 1, rejected: true,
        reason: 'This conversation is no longer assigned to you.' },
      { id: 'x2', type: 'reply', summary: 'Reply to Grace Hopper', createdAt: '2026-01-01T10:01:00Z', attempts: 0, rejected: false },
    ]);
    const { user } = renderApp('/c/c1');
    await user.click(await screen.findByRole('button', { name: 'Outbox (1 refused)' }));
    await screen.findByRole('heading', { name: 'Outbox' });
    fake.outbox.mockResolvedValue([
      { id: 'x2', type: 'reply', summary: 'Reply to Grace Hopper', createdAt: '2026-01-01T10:01:00Z', attempts: 0, rejected: false },
    ]);
    await user.click(screen.getByRole('button', { name: 'Dismiss Report on Ada Lovelace' }));
    expect(await screen.findByRole('button', { name: 'Outbox' })).toBeInTheDocument();
  });
});
