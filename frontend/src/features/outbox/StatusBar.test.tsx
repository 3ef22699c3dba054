import { screen, waitFor } from '@testing-library/react';
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
    expect(router.state.location.pathname + router.state.location.search).toBe('/c/c1/outbox?filter=unread&q=Ada');
    // Past the box's own delay: nothing writes it back or clears it.
    await new Promise((r) => setTimeout(r, 300));
    await waitFor(() => expect(screen.getByRole('searchbox')).toHaveValue('Ada'));
    expect(router.state.location.search).toBe('?filter=unread&q=Ada');
  });
});
