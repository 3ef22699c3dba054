import { screen } from '@testing-library/react';
import type { InfiniteData } from '@tanstack/react-query';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus, aSummary } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import type { ThreadSummary } from '../../backend';

describe('Sign out', () => {
  // The Go side says it is signed out (sync:status) before SignOut returns:
  // the shell leaves for Start, which goes on to sign in. SignOut returning
  // while that last step is under way (a busy machine) left the window blank.
  it('shows sign in when SignOut returns while the window is already on its way there', async () => {
    fake.campaigns.mockResolvedValue([aCampaign()]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.threads.mockResolvedValue([aSummary(1, { unread: true }), aSummary(2)]);
    fake.counts.mockResolvedValue({ all: 2, unread: 1, needs_attention: 0, archive: 0, friends: 0, team: 0, canvassing: 0 });
    const { user, router, queryClient } = renderApp();
    await screen.findByRole('button', { name: 'Unread 1' });

    // Signed out, the Go side has no campaigns, threads or counts.
    const out = aStatus({ signedIn: false, user: undefined });
    fake.status.mockResolvedValue(out);
    fake.campaigns.mockResolvedValue([]);
    fake.threads.mockResolvedValue([]);
    fake.counts.mockResolvedValue({});
    let returned!: () => void;
    fake.signOut.mockImplementation(
      () =>
        new Promise<void>((resolve) => {
          returned = resolve;
          fake.emit('sync:status', out);
        }),
    );
    // SignOut returns the moment the window sets off for sign in.
    const navigate = router.navigate.bind(router);
    router.navigate = ((to: Parameters<typeof navigate>[0], opts?: Parameters<typeof navigate>[1]) => {
      const path = typeof to === 'string' ? to : to?.pathname;
      if (path === '/signin') returned();
      return navigate(to as never, opts);
    }) as typeof router.navigate;

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/signin');
    // Nothing of the volunteer who left is kept.
    for (const [, data] of queryClient.getQueriesData<InfiniteData<ThreadSummary[]>>({ queryKey: ['threads'] })) {
      expect(data?.pages.flat() ?? []).toEqual([]);
    }
    expect(queryClient.getQueryData(['campaigns']) ?? []).toEqual([]);
  });
});
