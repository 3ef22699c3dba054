import { act, screen, waitFor } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { renderApp } from '../../test/render';
import { aCampaign, aStatus } from '../../test/fixtures';

const unopened =
  "This computer's disk is full, so Textbank cannot open its copy of your inbox. Free some space, then try again.";

describe('Start', () => {
  it('says why the copy of the inbox cannot be opened, and Try again carries on once it can', async () => {
    fake.status.mockResolvedValue(
      aStatus({ signedIn: false, user: undefined, connection: '', unopened: true, problem: unopened }),
    );
    fake.campaigns.mockResolvedValue([aCampaign({ id: 'c1' })]);
    const { user, router } = renderApp('/');
    expect(await screen.findByRole('heading', { name: 'Textbank cannot open your inbox' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(unopened);
    expect(router.state.location.pathname).toBe('/');

    fake.status.mockResolvedValue(aStatus());
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
  });

  it('carries on when a status event says the copy opened (a call healed it meanwhile)', async () => {
    fake.status.mockResolvedValue(
      aStatus({ signedIn: false, user: undefined, connection: '', unopened: true, problem: unopened }),
    );
    fake.campaigns.mockResolvedValue([aCampaign({ id: 'c1' })]);
    const { router } = renderApp('/');
    expect(await screen.findByRole('alert')).toHaveTextContent(unopened);
    act(() => fake.emit('sync:status', aStatus({ seq: 1 })));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
  });

  it('goes to sign in when signed out with the copy opened', async () => {
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined, connection: '' }));
    const { router } = renderApp('/');
    await waitFor(() => expect(router.state.location.pathname).toBe('/signin'));
  });
});
