import { act, screen, waitFor, within } from '@testing-library/react';
import { onTestFinished } from 'vitest';
import * as fake from '../../test/fakeBackend';
import { aCampaign, aStatus, someAppSettings } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import menusCss from '../../menus.css?raw';
import shellCss from '../../shell.css?raw';

// jsdom lays nothing out: every element is as wide as 8 px a character, and the switcher's button (setup.ts) 800 px.
const long = 'The Committee for Safe Streets, Clean Parks and Well-Funded Public Libraries in the Greater Springfield Area, 2026';

describe('the campaign switcher', () => {
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockImplementation(function (this: HTMLElement) {
      return (this.textContent ?? '').length * 8;
    });
    fake.status.mockResolvedValue(aStatus());
  });
  afterEach(() => vi.restoreAllMocks());

  // A control's title is its accessible description: a screen reader read the name as the value, then again.
  it('has the chosen name whole on hover when the button cuts it, without saying it twice', async () => {
    fake.campaigns.mockResolvedValue([aCampaign({ name: long }), aCampaign({ id: 'c2', name: 'Clean Water Now' })]);
    renderApp('/c/c1');
    const switcher = await screen.findByRole('button', { name: /^Switch campaign/ });
    await waitFor(() => expect(switcher.closest('[title]')).toHaveAttribute('title', long));
    expect(switcher).toHaveAccessibleName(`Switch campaign ${long}`);
    expect(switcher).toHaveAccessibleDescription('');
  });

  it('has no tooltip for a name that fits: it would only repeat what shows', async () => {
    fake.campaigns.mockResolvedValue([aCampaign(), aCampaign({ id: 'c2', name: long })]);
    renderApp('/c/c1');
    const switcher = await screen.findByRole('button', { name: /^Switch campaign/ });
    expect(switcher).toHaveAccessibleName('Switch campaign Demo for Democracy');
    expect(switcher.closest('[title]')).toBeNull();
    expect(switcher).toHaveAccessibleDescription('');
  });

  // A select switched at each change of its value: each arrow key opened another campaign (WCAG 3.2.2).
  it('the keyboard walks the campaigns and switches only on the one picked', async () => {
    fake.campaigns.mockResolvedValue([aCampaign(), aCampaign({ id: 'c2', name: 'Clean Water Now' }), aCampaign({ id: 'c3', name: 'Safe Streets' })]);
    // A wide window: the sidebar stays open after a pick (a folded one folds, and focus leaves it).
    fake.appSettings.mockResolvedValue(someAppSettings({ textSize: 0 }));
    const was = window.innerWidth;
    window.innerWidth = 1280;
    onTestFinished(() => {
      window.innerWidth = was;
      act(() => window.dispatchEvent(new Event('resize')));
    });
    const { user, router } = renderApp('/c/c1');
    const switcher = await screen.findByRole('button', { name: /^Switch campaign/ });
    switcher.focus();
    await user.keyboard('{ArrowDown}');
    const menu = screen.getByRole('menu', { name: 'Campaigns' });
    expect(within(menu).getByRole('menuitemradio', { name: 'Demo for Democracy' })).toHaveFocus();
    expect(within(menu).getByRole('menuitemradio', { name: 'Demo for Democracy' })).toBeChecked();
    // The campaign on screen is marked by a check that shows, not by its weight alone.
    expect(within(menu).getAllByRole('menuitemradio').map((i) => i.textContent)).toEqual([
      '✓Demo for Democracy',
      'Clean Water Now',
      'Safe Streets',
    ]);
    // The pointer takes the highlight with it: the arrows go on from the item it is over.
    await user.hover(within(menu).getByText('Clean Water Now'));
    expect(within(menu).getByRole('menuitemradio', { name: 'Clean Water Now' })).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    await user.keyboard('{ArrowDown}');
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitemradio', { name: 'Safe Streets' })).toHaveFocus();
    expect(router.state.location.pathname).toBe('/c/c1');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c3'));
    expect(router.state.location.pathname).not.toBe('/c/c2');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^Switch campaign/ })).toHaveAccessibleName('Switch campaign Safe Streets');
    expect(screen.getByRole('button', { name: /^Switch campaign/ })).toHaveFocus();
    // Esc closes the menu where it was, on the switcher.
    await user.keyboard('{Enter}');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^Switch campaign/ })).toHaveFocus();
    expect(router.state.location.pathname).toBe('/c/c3');
  });

  // The help article's way to a second campaign: the campaign's name at the top, then, at the
  // bottom of the list, "+ Join another campaign...".
  it('ends its menu with Join another campaign…, which opens the join screen', async () => {
    fake.campaigns.mockResolvedValue([aCampaign(), aCampaign({ id: 'c2', name: 'Clean Water Now' })]);
    const { user, router } = renderApp('/c/c1');
    const switcher = await screen.findByRole('button', { name: /^Switch campaign/ });
    switcher.focus();
    await user.keyboard('{ArrowUp}');
    const menu = screen.getByRole('menu', { name: 'Campaigns' });
    // ArrowUp opens the menu on its last item: the way to join another.
    const join = within(menu).getByRole('menuitem', { name: 'Join another campaign…' });
    expect(join).toHaveFocus();
    expect([...menu.querySelectorAll('[role^="menuitem"]')].at(-1)).toBe(join);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1/join'));
    expect(await screen.findByRole('heading', { name: 'Join a campaign' })).toBeInTheDocument();
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });

  // In the 15.5rem sidebar, a menu as wide as the switcher wrapped "Join another campaign…" to two
  // lines: the menu spans the sidebar's side padding too, within .sidebar-scroll, which would cut
  // it off past that (jsdom lays nothing out: the rule is checked, the screenshot shows the line).
  it('gives Join another campaign… the sidebar\'s width, past the switcher but within the sidebar', async () => {
    fake.campaigns.mockResolvedValue([aCampaign(), aCampaign({ id: 'c2', name: 'Clean Water Now' })]);
    const { user } = renderApp('/c/c1');
    await user.click(await screen.findByRole('button', { name: /^Switch campaign/ }));
    const menu = screen.getByRole('menu', { name: 'Campaigns' });
    expect(within(menu).getByRole('menuitem', { name: 'Join another campaign…' })).toBeVisible();
    // The styles once the menu is found: jsdom's window is "medium" wide, where they fold the sidebar away.
    const sheet = document.createElement('style');
    sheet.textContent = menusCss + shellCss;
    document.head.append(sheet);
    onTestFinished(() => sheet.remove());
    const inset = (side: 'left' | 'right') => getComputedStyle(menu)[side];
    expect([inset('left'), inset('right')]).toEqual(['-0.6rem', '-0.6rem']);
    // The sidebar-scroll's side padding it spans.
    expect(shellCss).toMatch(/\.sidebar-scroll \{[^}]*padding: 0\.75rem 0\.75rem/);
  });
});
