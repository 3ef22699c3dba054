import { screen, waitFor, within } from '@testing-library/react';
import * as fake from './test/fakeBackend';
import { aCampaign, anAction, aStatus, aSummary } from './test/fixtures';
import { renderApp } from './test/render';

// DESIGN.md: Esc closes menus and dialogs, never a pane, and focus goes back to the control that
// opened them (the conversation's own menus and dialogs: features/thread/EscapeCloses.test.tsx).

function inTheInbox() {
  fake.campaigns.mockResolvedValue([aCampaign()]);
  fake.actions.mockResolvedValue([anAction()]);
  fake.threads.mockResolvedValue([aSummary(1)]);
  return renderApp('/c/c1');
}

describe('Esc in the window', () => {
  it('closes "Sign out with unsent changes?" without signing out, focus back on Sign out', async () => {
    fake.status.mockResolvedValue(aStatus({ connection: 'offline', online: false, pending: 1 }));
    fake.outbox.mockResolvedValue([{ id: 'm1', type: 'reply', summary: 'Reply to Ada Lovelace', createdAt: '2026-01-01T10:00:00Z', attempts: 1, rejected: false }]);
    const { user, router } = inTheInbox();
    const signOut = await screen.findByRole('button', { name: 'Sign out' });
    await user.click(signOut);
    await screen.findByRole('alertdialog', { name: 'Sign out with unsent changes?' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(signOut).toHaveFocus();
    expect(fake.signOut).not.toHaveBeenCalled();
    expect(router.state.location.pathname).toBe('/c/c1');
  });

  it('closes the keyboard shortcuts sheet, focus back on Shortcuts', async () => {
    fake.status.mockResolvedValue(aStatus());
    const { user } = inTheInbox();
    const shortcuts = await screen.findByRole('button', { name: 'Shortcuts' });
    await user.click(shortcuts);
    await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(shortcuts).toHaveFocus();
  });

  // Behind Menu (a medium window) the switcher's menu is inside the sidebar, itself folded by Esc:
  // one Esc closes the innermost, the switcher's menu, and leaves the sidebar open.
  it("closes the campaign switcher's menu in the sidebar behind Menu, not the sidebar; a second Esc folds the sidebar", async () => {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign(), aCampaign({ id: 'c2', name: 'Clean Water Now' })]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.threads.mockResolvedValue([aSummary(1)]);
    // jsdom's 1024 px window: the sidebar behind Menu (App.test.tsx's Esc and Menu).
    const { user } = renderApp('/c/c1');
    const menuButton = await screen.findByRole('button', { name: 'Menu' });
    await user.click(menuButton);
    const switcher = await screen.findByRole('button', { name: /^Switch campaign/ });
    await user.click(switcher);
    const campaigns = await screen.findByRole('menu', { name: 'Campaigns' });
    await waitFor(() => expect(within(campaigns).getByRole('menuitemradio', { checked: true })).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(campaigns).not.toBeInTheDocument();
    expect(switcher).toHaveFocus();
    expect(menuButton).toHaveAttribute('aria-expanded', 'true');
    await user.keyboard('{Escape}');
    expect(menuButton).toHaveAttribute('aria-expanded', 'false');
    expect(menuButton).toHaveFocus();
  });
});
