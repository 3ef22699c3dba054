import { screen, waitFor, within } from '@testing-library/react';
import { renderShell } from './test/render';

// Below 64rem (a 1024 px window) the sidebar folds behind Menu. A pick in it folds it again and
// hides the button pressed: focus must not stay on that hidden button.
describe('a pick in the sidebar behind Menu', () => {
  it('Admin puts focus on the Admin section heading', async () => {
    const { user } = renderShell('/c/c1', { width: 1024, campaign: { role: 'admin' } });
    await user.click(await screen.findByRole('button', { name: 'Menu' }));
    await user.click(within(screen.getByRole('navigation', { name: 'Organizer' })).getByRole('button', { name: 'Admin' }));
    expect(screen.getByRole('button', { name: 'Menu' })).toHaveAttribute('aria-expanded', 'false');
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Admin', level: 1 })).toHaveFocus());
  });

  it('a filter gives focus back to Menu, its list being beside it', async () => {
    const { user } = renderShell('/c/c1', { width: 1024, campaign: { role: 'admin' } });
    const menu = await screen.findByRole('button', { name: 'Menu' });
    await user.click(menu);
    await user.click(await screen.findByRole('button', { name: /^Unread/ }));
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    expect(menu).toHaveFocus();
  });
});
