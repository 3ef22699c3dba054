import { screen, waitFor, within } from '@testing-library/react';
import type { InfiniteData } from '@tanstack/react-query';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus, aSummary } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import type { PendingMutation, ThreadSummary } from '../../backend';
import { keys } from '../../lib/queryKeys';

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

    // Signed out, the Go side has no campaigns, conversations or counts.
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
    for (const [, data] of queryClient.getQueriesData<InfiniteData<ThreadSummary[]>>({ queryKey: keys.every.threads })) {
      expect(data?.pages.flat() ?? []).toEqual([]);
    }
    expect(queryClient.getQueryData(keys.campaigns) ?? []).toEqual([]);
  });

  function aChange(id: string, over: Partial<PendingMutation> = {}): PendingMutation {
    return { id, type: 'reply', summary: `Reply ${id}`, createdAt: '2026-01-01T10:00:00Z', attempts: 1, rejected: false, ...over };
  }

  async function inTheInbox() {
    fake.campaigns.mockResolvedValue([aCampaign()]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.threads.mockResolvedValue([aSummary(1)]);
    const r = renderApp();
    await screen.findByRole('button', { name: /^Unread/ });
    return r;
  }

  // Signing out deletes the cache and its outbox: work made offline and not
  // yet sent would go without a word.
  it('asks first, naming how many unsent changes would be lost', async () => {
    fake.status.mockResolvedValue(aStatus({ connection: 'offline', online: false, pending: 2 }));
    fake.outbox.mockResolvedValue([
      aChange('m1'),
      aChange('m2', { type: 'report', summary: 'Report on Ada' }),
      aChange('m3', { rejected: true, reason: 'this contact opted out' }),
    ]);
    const { user, router } = await inTheInbox();

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Sign out with unsent changes?' });
    expect(dialog).toHaveAccessibleDescription(/2 changes are still waiting to be sent and 1 change was refused by the campaign server/);
    expect(dialog).toHaveAccessibleDescription(/You are offline/);
    // The safe choice has the focus; the other says what it does.
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' });
    expect(cancel).toHaveFocus();
    expect(within(dialog).getByRole('button', { name: 'Sign out and discard 3 unsent changes' })).toBeInTheDocument();

    await user.click(cancel);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(fake.signOut).not.toHaveBeenCalled();
    expect(router.state.location.pathname).not.toBe('/signin');

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    const again = await screen.findByRole('alertdialog', { name: 'Sign out with unsent changes?' });
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined }));
    await user.click(within(again).getByRole('button', { name: 'Sign out and discard 3 unsent changes' }));
    expect(fake.signOut).toHaveBeenCalledTimes(1);
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('with the server busy, says so, as the status bar does, not offline', async () => {
    fake.status.mockResolvedValue(aStatus({ connection: 'offline', online: false, pending: 1, serverBusy: true }));
    fake.outbox.mockResolvedValue([aChange('m1')]);
    const { user } = await inTheInbox();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Sign out with unsent changes?' });
    expect(dialog).toHaveAccessibleDescription(/The campaign server is busy: stay signed in, and they go out once it has room again\./);
    expect(dialog).not.toHaveAccessibleDescription(/offline/);
  });

  // A refused address is not fixed by waiting: the words say what it takes, where they said "once the server
  // address is fixed", by whom or how unsaid.
  it('at a refused address, says what the changes wait for: the server\'s https:// address, as the Outbox says', async () => {
    fake.status.mockResolvedValue(
      aStatus({ connection: 'offline', online: false, pending: 1, serverRefused: 'Textbank no longer connects to http://old.example.org.' }),
    );
    fake.outbox.mockResolvedValue([aChange('m1')]);
    const { user } = await inTheInbox();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Sign out with unsent changes?' });
    expect(dialog).toHaveAccessibleDescription(
      /Textbank does not connect to this plain http:\/\/ server address: stay signed in, and they go out once Textbank has the server's https:\/\/ address, as the Outbox says\./,
    );
    expect(dialog).not.toHaveAccessibleDescription(/fixed/);
  });

  it('signs out at once when everything has reached the server', async () => {
    const { user } = await inTheInbox();
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined }));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(fake.signOut).toHaveBeenCalledTimes(1));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('a sign-out that fails at once (nothing waiting, no question asked) is said as an alert beside Sign out', async () => {
    const { user } = await inTheInbox();
    fake.signOut.mockRejectedValue('the local cache could not be deleted');
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The local cache could not be deleted.');
  });
});
