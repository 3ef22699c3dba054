import { render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { ScreenError } from './ScreenError';
import * as fake from '../test/fakeBackend';
import { aCampaign, anAction, aStatus } from '../test/fixtures';
import { renderApp } from '../test/render';

describe('a screen that fails to draw', () => {
  beforeEach(() => vi.spyOn(console, 'error').mockImplementation(() => {})); // React and the router log what they caught

  it('takes only its pane: the sidebar stays, the pane says so, and Back to the inbox leads on', async () => {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    fake.actions.mockResolvedValue([anAction()]);
    // Something the Admin section cannot draw (results whose tags are not a list).
    const s = { script: 1, text: 'Hi', contacts: 1, sent: 1, delivered: 1, failed: 0, replies: 0, replyRate: 0, optOuts: 0, optOutRate: 0, reported: 0, tags: null };
    fake.adminResults.mockResolvedValue({ actions: [{ actionId: 'a1', action: 'GOTV', actionType: 'p2p', scripts: [s], total: s }] });
    const { user, router } = renderApp('/c/c1/admin');
    const pane = await screen.findByRole('heading', { name: 'This screen could not be shown', level: 1 });
    expect(screen.getByRole('alert')).toHaveTextContent('Textbank met something it did not expect:');
    expect(screen.queryByText('Unexpected Application Error!')).not.toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Inbox filters' })).toBeInTheDocument();
    await user.click(within(pane.closest('section')!).getByRole('button', { name: 'Back to the inbox' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    expect(await screen.findByRole('heading', { name: 'Inbox', level: 1 })).toBeInTheDocument();
  });

  // The window around the panes failed (the root route's errorElement): the page is drawn
  // whole, in a campaign too, not as a pane with nothing around it.
  it('drawn for the whole window, it is the page, in a campaign too', async () => {
    const Broken = () => {
      throw new Error('the shell broke');
    };
    const router = createMemoryRouter([{ path: '/c/:campaignId', element: <Broken />, errorElement: <ScreenError whole /> }], {
      initialEntries: ['/c/c1'],
    });
    render(<RouterProvider router={router} />);
    const heading = await screen.findByRole('heading', { name: 'This screen could not be shown', level: 1 });
    expect(heading.closest('main')).toHaveClass('center');
    expect(screen.getByRole('alert')).toHaveTextContent('the shell broke');
  });
});
