import { act, screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus, aSummary, aThreadView, deferred } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import type { Campaign } from '../../backend';

const demo = aCampaign();
const board = aCampaign({ id: 'c2', name: 'School Board', joinCode: '654321' });
const removed = { all: true, campaigns: true, left: [{ id: 'c1', name: 'Demo for Democracy' }] };

function signedIn(list: Campaign[]) {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue(list);
  fake.actions.mockResolvedValue([anAction()]);
  fake.threads.mockResolvedValue([aSummary(1)]);
  fake.thread.mockResolvedValue(aThreadView());
}

// An organizer took the volunteer off a campaign (textbankd members remove): sync dropped it from
// the cache, and the window says so in plain words and leaves it if it was on screen.
describe('a campaign the volunteer was removed from', () => {
  it('leaves the campaign on screen for the next one, at once, with a notice until dismissed', async () => {
    signedIn([demo, board]);
    const { user, router } = renderApp('/c/c1/thread/t1');
    await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' });
    // The list is read anew slowly: the window must not pick the campaign left from the old one.
    fake.campaigns.mockReturnValue(deferred<Campaign[]>().promise);
    act(() => fake.emit('inbox:changed', removed));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c2'));
    const notice = await screen.findByText(/You are no longer in the campaign “Demo for Democracy”: its organizers removed you/);
    const box = notice.closest('[role="status"]') as HTMLElement;
    expect(box).toBeInTheDocument();
    await user.click(within(box).getByRole('button', { name: 'Dismiss notice: no longer in Demo for Democracy' }));
    expect(screen.queryByText(/You are no longer in the campaign/)).not.toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/c/c2');
  });

  it('stays on the campaign on screen when another was left, and says so', async () => {
    signedIn([board, demo]);
    const { router } = renderApp('/c/c2');
    await screen.findByRole('heading', { level: 1, name: 'Inbox' });
    fake.campaigns.mockResolvedValue([board]);
    act(() => fake.emit('inbox:changed', removed));
    expect(await screen.findByText(/You are no longer in the campaign “Demo for Democracy”/)).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/c/c2');
  });

  it('goes to joining a campaign when it was the only one, the notice with it', async () => {
    signedIn([demo]);
    const { router } = renderApp('/c/c1');
    await screen.findByRole('heading', { level: 1, name: 'Inbox' });
    fake.campaigns.mockResolvedValue([]);
    act(() => fake.emit('inbox:changed', removed));
    await waitFor(() => expect(router.state.location.pathname).toBe('/join'));
    expect(await screen.findByText(/You are no longer in the campaign “Demo for Democracy”/)).toBeInTheDocument();
    expect(screen.getByLabelText('Join code')).toBeInTheDocument();
  });
});
