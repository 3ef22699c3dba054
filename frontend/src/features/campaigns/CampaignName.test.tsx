import { screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, aStatus } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import { splitForCut } from './CampaignName';

// jsdom lays nothing out: every element is as wide as 8 px a character, and every box 800 px (setup.ts).
const twin = 'Springfield Get Out The Vote: Doors, Phones and Texts Across Every Ward and Precinct in the County, GOTV';

describe("a campaign's name where it is the current one", () => {
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockImplementation(function (this: HTMLElement) {
      return (this.textContent ?? '').length * 8;
    });
    fake.status.mockResolvedValue(aStatus());
  });
  afterEach(() => vi.restoreAllMocks());

  // A volunteer still in an archived campaign saw it as a live one: in the switcher, its menu and the top bar.
  it('says an archived campaign is archived, in words, to the eye and to a screen reader', async () => {
    fake.campaigns.mockResolvedValue([
      aCampaign({ name: 'Springfield GOTV 2025', archived: true }),
      aCampaign({ id: 'c2', name: 'Springfield GOTV 2026', role: 'admin' }),
    ]);
    const { user } = renderApp('/c/c1');
    const switcher = await screen.findByRole('button', { name: /^Switch campaign/ });
    expect(switcher).toHaveAccessibleName('Switch campaign Springfield GOTV 2025, archived');
    expect(within(switcher).getByText('Archived')).toBeVisible();
    expect(within(screen.getByRole('banner')).getByText('Archived')).toBeInTheDocument();
    expect(within(screen.getByRole('banner')).getByText('Springfield GOTV 2025, archived')).toHaveClass('sr-only');
    await user.click(switcher);
    const menu = screen.getByRole('menu', { name: 'Campaigns' });
    expect(within(menu).getByRole('menuitemradio', { name: 'Springfield GOTV 2025 Archived' })).toBeChecked();
    // The live one says nothing of an archive.
    expect(within(menu).getByRole('menuitemradio', { name: 'Springfield GOTV 2026 (organizer)' })).not.toBeChecked();
  });

  it('a live campaign has no Archived', async () => {
    fake.campaigns.mockResolvedValue([aCampaign(), aCampaign({ id: 'c2', name: 'Clean Water Now' })]);
    renderApp('/c/c1');
    const switcher = await screen.findByRole('button', { name: /^Switch campaign/ });
    expect(switcher).toHaveAccessibleName('Switch campaign Demo for Democracy');
    expect(screen.queryByText('Archived')).not.toBeInTheDocument();
  });

  it("says so beside the name of one's only campaign when it is archived", async () => {
    fake.campaigns.mockResolvedValue([aCampaign({ archived: true })]);
    renderApp('/c/c1');
    const sidebar = await screen.findByRole('complementary', { name: 'Campaigns, actions and inbox' });
    await waitFor(() => expect(within(sidebar).getByText('Archived')).toBeInTheDocument());
    expect(within(sidebar).getByText('Archived').closest('p')).toHaveTextContent('Demo for Democracy Archived');
  });

  // "Springfield GOTV 2025" and "... 2026" were both cut to "Springfield GOTV 20...".
  it('cuts a long name in its middle, its end kept, whole in the tooltip', async () => {
    fake.campaigns.mockResolvedValue([aCampaign({ name: `${twin} 2025`, role: 'admin' }), aCampaign({ id: 'c2', name: `${twin} 2026` })]);
    renderApp('/c/c1');
    const switcher = await screen.findByRole('button', { name: /^Switch campaign/ });
    expect(switcher).toHaveAccessibleName(`Switch campaign ${twin} 2025 (organizer)`);
    await waitFor(() => expect(switcher.closest('[title]')).toHaveAttribute('title', `${twin} 2025 (organizer)`));
    // What the button draws: the head (which gives way, with an ellipsis) and the end, kept whole; the role is
    // heard and in the tooltip, not drawn (drawn, it took the name's room: "De...  Democracy (o...").
    expect(switcher.querySelector('.middle-cut-head')?.textContent).toBe(twin);
    expect(switcher.querySelector('.middle-cut-tail')?.textContent).toBe(' 2025');
    expect(switcher.querySelector('.middle-cut')).not.toHaveTextContent('organizer');
  });
});

describe('splitForCut', () => {
  it.each([
    ['Springfield GOTV 2025', 'Springfield GOTV', ' 2025'],
    ['Precinct Walk B', 'Precinct Walk', ' B'],
    // A long last word: its last characters stay.
    ['Springfield-Get-Out-The-Vote-2026', 'Springfield-Get-Out-The-V', 'ote-2026'],
    ['Vote', '', 'Vote'],
    ['', '', ''],
  ])('%s', (name, head, tail) => {
    expect(splitForCut(name)).toEqual([head, tail]);
    expect(splitForCut(name).join('')).toBe(name);
  });
});
