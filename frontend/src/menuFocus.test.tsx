import { act, screen, waitFor, within } from '@testing-library/react';
import * as fake from './test/fakeBackend';
import { aCampaign, anAction, aStatus, aSummary, someAppSettings } from './test/fixtures';
import { renderApp } from './test/render';

// Below 64rem (a 1024 px window) the sidebar folds behind Menu. A pick in it folds it again and
// hides the button pressed: focus must not stay on that hidden button.
describe('a pick in the sidebar behind Menu', () => {
  const width = window.innerWidth;
  beforeEach(() => {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.threads.mockResolvedValue([aSummary(1)]);
    fake.appSettings.mockResolvedValue(someAppSettings({ textSize: 0 }));
    window.innerWidth = 1024;
  });
  afterEach(() => {
    window.innerWidth = width;
    act(() => window.dispatchEvent(new Event('resize')));
  });

  it('Admin puts focus on the Admin section heading', async () => {
    const { user } = renderApp('/c/c1');
    await user.click(await screen.findByRole('button', { name: 'Menu' }));
    await user.click(within(screen.getByRole('navigation', { name: 'Organizer' })).getByRole('button', { name: 'Admin' }));
    expect(screen.getByRole('button', { name: 'Menu' })).toHaveAttribute('aria-expanded', 'false');
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Admin', level: 1 })).toHaveFocus());
  });

  it('a filter gives focus back to Menu, its list being beside it', async () => {
    const { user } = renderApp('/c/c1');
    const menu = await screen.findByRole('button', { name: 'Menu' });
    await user.click(menu);
    await user.click(await screen.findByRole('button', { name: /^Unread/ }));
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    expect(menu).toHaveFocus();
  });
});
