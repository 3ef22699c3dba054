import { act, screen, within } from '@testing-library/react';
import * as fake from './test/fakeBackend';
import { aCampaign, anAction, aStatus, aSummary, someAppSettings } from './test/fixtures';
import { renderApp } from './test/render';

// Where the sidebar folds behind Menu (1024 px wide at 100%), the top bar is all that is left of it: as a
// mail client's title names the folder, it names the filter the list shows, else Archive read as the inbox.
describe('the top bar of a smaller window', () => {
  const width = window.innerWidth;
  beforeEach(() => {
    window.innerWidth = 1024;
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign()]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.threads.mockResolvedValue([aSummary(1)]);
    fake.appSettings.mockResolvedValue(someAppSettings({ textSize: 0 }));
  });
  afterEach(() => {
    window.innerWidth = width;
    act(() => window.dispatchEvent(new Event('resize')));
  });

  it('names the filter the list shows after the campaign', async () => {
    renderApp('/c/c1?filter=archive');
    const bar = await screen.findByRole('banner');
    await within(bar).findByText('Demo for Democracy');
    expect(bar).toHaveTextContent(/Demo for Democracy\s*·\s*Archive$/);
  });

  it('names none for All, the inbox itself', async () => {
    renderApp('/c/c1');
    const bar = await screen.findByRole('banner');
    await within(bar).findByText('Demo for Democracy');
    expect(bar).toHaveTextContent(/^Menu\s*Demo for Democracy$/);
  });
});
