import { act, screen } from '@testing-library/react';
import * as fake from './test/fakeBackend';
import { aCampaign, anAction, aStatus, aSummary, someAppSettings } from './test/fixtures';
import { renderApp } from './test/render';

// The inbox with nothing open says where to start: the actions are in the sidebar in a wide
// window, and behind Menu in a smaller one (1024 px wide at 100%, as in the demo's screenshot).
describe('the inbox with nothing open', () => {
  const width = window.innerWidth;
  beforeEach(() => {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign()]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.threads.mockResolvedValue([aSummary(1)]);
    // No Text size set: the root keeps the default 16 px (jsdom reads a percentage as px).
    fake.appSettings.mockResolvedValue(someAppSettings({ textSize: 0 }));
  });
  afterEach(() => {
    window.innerWidth = width;
    act(() => window.dispatchEvent(new Event('resize')));
  });

  it('in a wide window points at the actions beside it', async () => {
    window.innerWidth = 1280;
    renderApp('/c/c1');
    expect(await screen.findByText('Pick a conversation, or an action to start texting.')).toBeInTheDocument();
  });

  it('where the actions fold behind Menu, says to open Menu', async () => {
    window.innerWidth = 1024;
    renderApp('/c/c1');
    expect(await screen.findByText('Pick a conversation, or open Menu and pick an action to start texting.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Menu' })).toBeInTheDocument();
  });
});
