import { screen } from '@testing-library/react';
import { renderShell } from './test/render';

// The inbox with nothing open says where to start: the actions are in the sidebar in a wide
// window, and behind Menu in a smaller one (1024 px wide at 100%, as in the demo's screenshot).
describe('the inbox with nothing open', () => {
  it('in a wide window points at the actions beside it', async () => {
    renderShell('/c/c1', { width: 1280 });
    expect(await screen.findByText('Pick a conversation, or an action to start texting.')).toBeInTheDocument();
  });

  it('where the actions fold behind Menu, says to open Menu', async () => {
    renderShell('/c/c1', { width: 1024 });
    expect(await screen.findByText('Pick a conversation, or open Menu and pick an action to start texting.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Menu' })).toBeInTheDocument();
  });
});
