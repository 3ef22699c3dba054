import { screen, waitFor } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, aStatus } from '../../test/fixtures';
import { renderApp } from '../../test/render';

// jsdom lays nothing out: every element is as wide as 8 px a character, and the select (setup.ts) 800 px.
const long = 'The Committee for Safe Streets, Clean Parks and Well-Funded Public Libraries in the Greater Springfield Area, 2026';

describe('the campaign switcher', () => {
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockImplementation(function (this: HTMLElement) {
      return (this.textContent ?? '').length * 8;
    });
    fake.status.mockResolvedValue(aStatus());
  });
  afterEach(() => vi.restoreAllMocks());

  // A select's title is its accessible description: a screen reader read the name as the value, then again.
  it('has the chosen name whole on hover when the select cuts it, without saying it twice', async () => {
    fake.campaigns.mockResolvedValue([aCampaign({ name: long }), aCampaign({ id: 'c2', name: 'Clean Water Now' })]);
    renderApp('/c/c1');
    const switcher = await screen.findByRole('combobox', { name: 'Switch campaign' });
    await waitFor(() => expect(switcher.closest('[title]')).toHaveAttribute('title', long));
    expect(switcher).toHaveDisplayValue(long);
    expect(switcher).toHaveAccessibleDescription('');
  });

  it('has no tooltip for a name that fits: it would only repeat what shows', async () => {
    fake.campaigns.mockResolvedValue([aCampaign(), aCampaign({ id: 'c2', name: long })]);
    renderApp('/c/c1');
    const switcher = await screen.findByRole('combobox', { name: 'Switch campaign' });
    expect(switcher).toHaveDisplayValue('Demo for Democracy');
    expect(switcher.closest('[title]')).toBeNull();
    expect(switcher).toHaveAccessibleDescription('');
  });
});
