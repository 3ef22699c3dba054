import { act, screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus, aSummary } from '../../test/fixtures';
import { renderApp } from '../../test/render';

// The sidebar's line under the switcher for each other campaign with unread replies
// ("3 unread replies in School Board"): where the tray's count waits, one click from its Unread.

const base = { all: 4, unread: 0, needs_attention: 0, archive: 1, friends: 0, team: 0, canvassing: 0 };

function inTwoCampaigns(other = aCampaign({ id: 'c2', name: 'School Board', joinCode: '654321' }), unread = 3) {
  fake.status.mockResolvedValue(aStatus({ demo: true }));
  fake.campaigns.mockResolvedValue([aCampaign(), other]);
  fake.actions.mockResolvedValue([anAction()]);
  fake.threads.mockResolvedValue([aSummary(1), aSummary(2)]);
  fake.counts.mockImplementation(async (id: string) => ({ ...base, unread: id === other.id ? unread : 0 }));
}

describe('unread replies in another campaign', () => {
  // The tray's "N unread replies" counts every campaign: its click opens
  // Unread where replies wait, and the switcher says where that is.
  it('the tray opens their Unread, the switcher counts them', async () => {
    inTwoCampaigns();
    const { user, router } = renderApp();
    const elsewhere = await screen.findByRole('button', { name: '3 unread replies in School Board' });
    expect(screen.queryByRole('button', { name: /unread repl(y|ies) in Demo for Democracy/ })).not.toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/c/c1');
    act(() => fake.emit('navigate:inbox', { filter: 'unread' }));
    await waitFor(() => expect(router.state.location.pathname + router.state.location.search).toBe('/c/c2?filter=unread'));
    // Replies waiting in the campaign on screen keep it there.
    fake.counts.mockImplementation(async () => ({ ...base, unread: 1 }));
    act(() => fake.emit('inbox:changed', { all: true }));
    await act(() => router.navigate('/c/c1'));
    await screen.findByRole('button', { name: '1 unread reply in School Board' });
    act(() => fake.emit('navigate:inbox', { filter: 'unread' }));
    await waitFor(() => expect(router.state.location.search).toBe('?filter=unread'));
    expect(router.state.location.pathname).toBe('/c/c1');
    // The switcher's line opens the other campaign's Unread.
    await user.click(screen.getByRole('button', { name: '1 unread reply in School Board' }));
    await waitFor(() => expect(router.state.location.pathname + router.state.location.search).toBe('/c/c2?filter=unread'));
    expect(elsewhere).not.toBeInTheDocument();
  });

  // The switcher, its menu and the top bar said the campaign was archived; its line of unread replies did not.
  it('says the other campaign is archived, in words, to the eye and to a screen reader', async () => {
    inTwoCampaigns(aCampaign({ id: 'c2', name: 'School Board', archived: true }));
    renderApp('/c/c1');
    const line = await screen.findByRole('button', { name: '3 unread replies in School Board, archived' });
    expect(within(line).getByText('Archived')).toBeVisible();
    // The campaign on screen is live: its switcher says nothing of an archive.
    expect(within(screen.getByRole('button', { name: /^Switch campaign/ })).queryByText('Archived')).not.toBeInTheDocument();
  });

  it('a live campaign has no Archived', async () => {
    inTwoCampaigns(aCampaign({ id: 'c2', name: 'School Board' }), 1);
    renderApp('/c/c1');
    const line = await screen.findByRole('button', { name: '1 unread reply in School Board' });
    expect(within(line).queryByText('Archived')).not.toBeInTheDocument();
  });

  describe('with a long name', () => {
    // jsdom lays nothing out: every element is as wide as 8 px a character, and every box 800 px (setup.ts).
    const long = 'The Committee for Safe Streets, Clean Parks and Well-Funded Public Libraries in the Greater Springfield Area 2026';
    beforeEach(() => {
      vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockImplementation(function (this: HTMLElement) {
        return (this.textContent ?? '').length * 8;
      });
    });
    afterEach(() => vi.restoreAllMocks());

    // A line that wrapped made the sidebar scroll (by 23 px in a 1200x704 window): it stays one line.
    it('cuts the name in its middle, its end kept, whole in the tooltip and for screen readers', async () => {
      inTwoCampaigns(aCampaign({ id: 'c2', name: long, archived: true }));
      renderApp('/c/c1');
      const line = await screen.findByRole('button', { name: `3 unread replies in ${long}, archived` });
      await waitFor(() => expect(line.closest('[title]')).toHaveAttribute('title', long));
      // A control's title is its accessible description: the name would be read twice.
      expect(line).toHaveAccessibleDescription('');
      expect(line.querySelector('.middle-cut-head')?.textContent).toBe(long.slice(0, -' 2026'.length));
      expect(line.querySelector('.middle-cut-tail')?.textContent).toBe(' 2026');
    });

    it('has no tooltip for a name that fits', async () => {
      inTwoCampaigns(aCampaign({ id: 'c2', name: 'School Board' }));
      renderApp('/c/c1');
      const line = await screen.findByRole('button', { name: '3 unread replies in School Board' });
      expect(line.closest('[title]')).toBeNull();
    });
  });
});
