import { act, screen, waitFor, within } from '@testing-library/react';
import * as fake from './test/fakeBackend';
import { aCampaign, anAction, aStatus, aSummary } from './test/fixtures';
import { renderApp } from './test/render';
import { applyInboxChange } from './lib/useBackendEvents';

// Opened from Unread, a conversation is read, and its row leaves the list the keyboard opened it
// from: focus must not go with it onto the page.
describe('a conversation opened from a list it then leaves', () => {
  it('puts focus on the conversation’s heading once its row has left the list', async () => {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign()]);
    fake.actions.mockResolvedValue([anAction()]);
    const unread = { unread: true, filters: ['all', 'unread'] };
    fake.threads.mockResolvedValue([aSummary(1, unread), aSummary(2, unread)]);
    const { user, queryClient } = renderApp('/c/c1?filter=unread');
    const rows = await screen.findAllByTestId('thread-row');
    act(() => within(rows[0]).getByRole('button', { name: /^Contact 1/ }).focus());
    await user.keyboard('{Enter}');
    const heading = await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' });
    // Read: the Go side's row is in All alone now, as its inbox:changed says.
    act(() =>
      applyInboxChange(queryClient, { threadIds: ['t1'], threads: [aSummary(1, { filters: ['all'] })], counts: { c1: { all: 2, unread: 1 } } }),
    );
    await waitFor(() => expect(screen.getAllByTestId('thread-row')).toHaveLength(1));
    await waitFor(() => expect(heading).toHaveFocus());
  });
});
