import { act, screen, waitFor, within } from '@testing-library/react';
import * as fake from './test/fakeBackend';
import { aCampaign, anAction, anItem, aStatus, aSummary, aThreadView, deferred } from './test/fixtures';
import { renderApp } from './test/render';
import { pageSize } from './features/inbox/hooks';
import { keys } from './lib/queryKeys';

function signedInWithDemo() {
  fake.status.mockResolvedValue(aStatus({ demo: true }));
  fake.campaigns.mockResolvedValue([aCampaign()]);
  fake.actions.mockResolvedValue([anAction()]);
  fake.counts.mockResolvedValue({ all: 4, unread: 2, needs_attention: 3, archive: 1, friends: 0, team: 0, canvassing: 0 });
  fake.threads.mockResolvedValue([aSummary(1, { unread: true }), aSummary(2)]);
}

const row = async (name: string) =>
  (await screen.findAllByTestId('thread-row')).find((r) => r.textContent?.includes(name))!;

describe('App', () => {
  it('signed out: sign in, no campaign yet: join, then the inbox', async () => {
    fake.status.mockResolvedValueOnce(aStatus({ signedIn: false, user: undefined }));
    const { user } = renderApp();
    await user.type(await screen.findByLabelText('Email'), 'vera@example.org');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const code = await screen.findByLabelText('Join code');
    fake.joinCampaign.mockResolvedValue(aCampaign());
    fake.campaigns.mockResolvedValue([aCampaign()]);
    await user.type(code, '123456');
    await user.click(screen.getByRole('button', { name: 'Join' }));

    const sidebar = await screen.findByRole('complementary', { name: 'Campaigns, actions and inbox' });
    expect(await within(sidebar).findByText('Demo for Democracy')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^All\b/ })).toBeInTheDocument();
    expect(fake.counts).toHaveBeenCalledWith('c1');
    // The Join button went away with the join screen: focus is on the inbox's heading, not lost on the page.
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Inbox' })).toHaveFocus());
  });

  it('on the join screen, campaigns that arrive by sync open the inbox', async () => {
    fake.campaigns.mockResolvedValueOnce([]);
    renderApp();
    await screen.findByLabelText('Join code');
    signedInWithDemo();
    act(() => fake.emit('inbox:changed', { campaigns: true }));
    expect(await screen.findByRole('button', { name: 'Unread 2' })).toBeInTheDocument();
  });

  it('in demo mode the join screen names the demo code the Go side reports', async () => {
    fake.status.mockResolvedValue(aStatus({ demo: true, demoJoinCode: '123456' }));
    renderApp();
    expect(await screen.findByText(/In this demo, it is 123456/)).toBeInTheDocument();
  });

  it('sign up is reachable from sign in', async () => {
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined }));
    const { user } = renderApp();
    await user.click(await screen.findByRole('link', { name: 'Create an account' }));
    expect(await screen.findByRole('button', { name: 'Sign up' })).toBeInTheDocument();
  });

  it('opens the remembered campaign', async () => {
    signedInWithDemo();
    fake.campaigns.mockResolvedValue([aCampaign(), aCampaign({ id: 'c2', name: 'Clean Water Now' })]);
    localStorage.setItem('textbank.campaign', 'c2');
    const { router } = renderApp();
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c2'));
    await waitFor(() => expect(fake.counts).toHaveBeenCalledWith('c2'));
  });

  it('filters show counts; clicking one asks for that filter', async () => {
    signedInWithDemo();
    const { user } = renderApp();
    expect(await screen.findByRole('button', { name: 'Unread 2' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Needs Attention 3' })).toBeInTheDocument();
    await waitFor(() => expect(fake.threads).toHaveBeenCalledWith('all', 'c1', '', 0, pageSize));
    await user.click(screen.getByRole('button', { name: /^Unread\b/ }));
    await waitFor(() => expect(fake.threads).toHaveBeenLastCalledWith('unread', 'c1', '', 0, pageSize));
    expect(screen.getByRole('button', { name: /^Unread\b/ })).toHaveAttribute('aria-pressed', 'true');
  });

  it('opening a thread shows it and marks it read; Back returns to the list as it was', async () => {
    signedInWithDemo();
    fake.thread.mockResolvedValue(aThreadView());
    const { user, router } = renderApp('/c/c1?filter=unread');
    await user.click(within(await row('Contact 1')).getByRole('button', { name: /^Contact 1/ }));
    expect(await screen.findByRole('heading', { name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(fake.thread).toHaveBeenCalledWith('t1');
    // Marking read is the conversation's effect, which under load runs a moment
    // after the heading paints.
    await waitFor(() => expect(fake.markRead).toHaveBeenCalledWith('t1'));
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    expect(router.state.location.search).toBe('?filter=unread');
    // The router's state changes before React unmounts the conversation, whose
    // cleanup tells Go nothing is open: under load that comes a moment later.
    await waitFor(() => expect(fake.setOpenThread).toHaveBeenLastCalledWith(''));
  });

  it('a reply the Go side refuses after the volunteer left the conversation is still said', async () => {
    signedInWithDemo();
    fake.thread.mockResolvedValue(aThreadView({ allowFreeText: true }));
    const pending = deferred<void>();
    fake.sendReply.mockReturnValue(pending.promise);
    const { user, router } = renderApp('/c/c1');
    await user.click(within(await row('Contact 1')).getByRole('button', { name: /^Contact 1/ }));
    await user.type(await screen.findByRole('textbox', { name: 'Reply' }), 'Hello there');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    await act(async () => pending.reject('Ada Lovelace has opted out and cannot be texted again'));
    expect(await screen.findByText('Not sent: your reply to Ada Lovelace.')).toBeInTheDocument();
    expect(screen.getByText(/Ada Lovelace has opted out and cannot be texted again/)).toBeInTheDocument();
  });

  it('the inbox says what a step that closed the conversation did (Reassign, Block)', async () => {
    signedInWithDemo();
    renderApp({ pathname: '/c/c1', state: { done: 'The conversation with Ada Lovelace is now with Olive Organizer.' } });
    const notice = await screen.findByText('The conversation with Ada Lovelace is now with Olive Organizer.');
    expect(notice).toHaveAttribute('role', 'status');
    // Focused, so it is read: a status inserted with its words already in often is not.
    await waitFor(() => expect(notice).toHaveFocus());
  });

  it('an action opens its intro; Start opens the send screen', async () => {
    signedInWithDemo();
    fake.queue.mockResolvedValue({ action: anAction(), items: [anItem(0)], remaining: 5 });
    const { user } = renderApp();
    await user.click(await screen.findByRole('button', { name: /Get Out The Vote/ }));
    expect(await screen.findByText('Be friendly. Stop if they ask you to.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(await screen.findByTestId('recipient-name')).toHaveTextContent('Ada Lovelace');
    expect(screen.getByText('1 left')).toBeInTheDocument();
  });

  it('a reply updates that thread, the counts and the list, and does not refetch actions or campaigns', async () => {
    signedInWithDemo();
    fake.thread.mockResolvedValue(aThreadView());
    renderApp('/c/c1/thread/t1');
    await screen.findByRole('heading', { name: 'Ada Lovelace' });
    await screen.findByRole('button', { name: 'Unread 2' });
    await waitFor(() => expect(fake.threads).toHaveBeenCalled());
    const calls = { actions: fake.actions.mock.calls.length, campaigns: fake.campaigns.mock.calls.length, thread: fake.thread.mock.calls.length };

    const replied = aThreadView();
    replied.messages.push({ ...replied.messages[1], id: 'm3', body: 'I will be there' });
    fake.thread.mockResolvedValue(replied);
    fake.counts.mockResolvedValue({ all: 5, unread: 3 });
    fake.threads.mockResolvedValue([aSummary(1, { lastMessage: 'I will be there' }), aSummary(2)]);
    act(() => fake.emit('inbox:changed', { threadIds: ['t1'] }));

    expect(await screen.findByRole('button', { name: 'Unread 3' })).toBeInTheDocument();
    expect(await within(screen.getByTestId('message-list')).findByText('I will be there')).toBeInTheDocument();
    expect(await within(await row('Contact 1')).findByText('I will be there')).toBeInTheDocument();
    expect(fake.thread.mock.calls.length).toBe(calls.thread + 1);
    expect(fake.actions.mock.calls.length).toBe(calls.actions);
    expect(fake.campaigns.mock.calls.length).toBe(calls.campaigns);
  });

  it('a change to a thread that is not open does not fetch it', async () => {
    signedInWithDemo();
    renderApp();
    await screen.findByRole('button', { name: 'Unread 2' });
    act(() => fake.emit('inbox:changed', { threadIds: ['t9'] }));
    await waitFor(() => expect(fake.counts).toHaveBeenCalledTimes(2));
    expect(fake.thread).not.toHaveBeenCalled();
  });

  it('actions: true refetches the actions only', async () => {
    signedInWithDemo();
    renderApp();
    await screen.findByRole('button', { name: /Get Out The Vote/ });
    fake.actions.mockResolvedValue([anAction(), anAction({ id: 'a2', title: 'Meet Your Neighbours', type: 'canvassing' })]);
    const counts = fake.counts.mock.calls.length;
    act(() => fake.emit('inbox:changed', { actions: true }));
    expect(await screen.findByRole('button', { name: /Meet Your Neighbours/ })).toBeInTheDocument();
    expect(fake.counts.mock.calls.length).toBe(counts);
  });

  it("another account signing in does not see the last one's reply notice", async () => {
    signedInWithDemo();
    const { queryClient } = renderApp();
    await screen.findByRole('button', { name: 'Unread 2' });
    act(() => fake.emit('reply:new', { threadId: 't1', contactName: 'Ada Lovelace', body: 'Hi', at: '2026-11-29T12:00:00Z' }));
    expect(await screen.findByText(/New reply from Ada Lovelace/)).toBeInTheDocument();
    fake.status.mockResolvedValue(aStatus({ demo: true, user: { id: 'u2', name: 'Orla Organizer', email: 'orla@example.org' } }));
    await act(() => queryClient.invalidateQueries({ queryKey: keys.status }));
    await waitFor(() => expect(screen.queryByText(/New reply from Ada Lovelace/)).not.toBeInTheDocument());
  });

  it('a contact opted back in is said so, not as a new reply', async () => {
    signedInWithDemo();
    renderApp();
    await screen.findByRole('button', { name: 'Unread 2' });
    act(() => fake.emit('reply:new', { threadId: 't1', contactName: 'Ada Lovelace', body: '', optedBackIn: true, optedBackInBy: 'Olive Organizer', at: '2026-11-29T12:00:00Z' }));
    expect(await screen.findByText(/Ada Lovelace opted back in/)).toBeInTheDocument();
    expect(screen.queryByText(/New reply from/)).not.toBeInTheDocument();
  });

  it('a new reply is announced with a way to open it; a notification opens its thread', async () => {
    signedInWithDemo();
    fake.thread.mockResolvedValue(aThreadView());
    const { user, router } = renderApp();
    await screen.findByRole('button', { name: 'Unread 2' });
    act(() => fake.emit('reply:new', { threadId: 't1', contactName: 'Ada Lovelace', body: 'Hi', at: '2026-11-29T12:00:00Z' }));
    expect(await screen.findByText(/New reply from Ada Lovelace/)).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Open' }));
    expect(await screen.findByRole('heading', { name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/c/c1/thread/t1');

    await act(() => router.navigate('/c/c1'));
    expect(screen.queryByRole('heading', { name: 'Ada Lovelace' })).not.toBeInTheDocument();
    act(() => fake.emit('navigate:thread', 't1'));
    expect(await screen.findByRole('heading', { name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/c/c1/thread/t1');
    act(() => fake.emit('navigate:inbox', { filter: 'unread' }));
    await waitFor(() => expect(router.state.location.search).toBe('?filter=unread'));
    expect(router.state.location.pathname).toBe('/c/c1');
  });

  // A volunteer in two campaigns: a reply from the one not on screen opens
  // there, from the status bar and from a notification, even from Settings.
  it("a reply from another campaign opens in its own campaign", async () => {
    signedInWithDemo();
    fake.campaigns.mockResolvedValue([aCampaign(), aCampaign({ id: 'c2', name: 'School Board', joinCode: '654321' })]);
    const other = aThreadView();
    other.thread = { ...other.thread, id: 't9', campaignId: 'c2', contactName: 'Bayard Rustin' };
    fake.thread.mockResolvedValue(other);
    const { user, router } = renderApp();
    await screen.findByRole('button', { name: 'Unread 2' });
    expect(router.state.location.pathname).toBe('/c/c1');
    act(() => fake.emit('reply:new', { threadId: 't9', campaignId: 'c2', contactName: 'Bayard Rustin', body: 'Hi', at: '2026-11-29T12:00:00Z' }));
    await user.click(await screen.findByRole('link', { name: 'Open' }));
    expect(await screen.findByRole('heading', { name: 'Bayard Rustin' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/c/c2/thread/t9');

    await act(() => router.navigate('/settings'));
    act(() => fake.emit('navigate:thread', 't9'));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c2/thread/t9'));
    expect(await screen.findByRole('heading', { name: 'Bayard Rustin' })).toBeInTheDocument();
    // Several replies' notification opens Unread where the volunteer last was.
    await act(() => router.navigate('/settings'));
    act(() => fake.emit('navigate:inbox', { filter: 'unread' }));
    await waitFor(() => expect(router.state.location.pathname + router.state.location.search).toBe('/c/c2?filter=unread'));
    // Several replies all from one campaign open its Unread, whichever is on screen.
    await act(() => router.navigate('/c/c1'));
    act(() => fake.emit('navigate:inbox', { filter: 'unread', campaignId: 'c2' }));
    await waitFor(() => expect(router.state.location.pathname + router.state.location.search).toBe('/c/c2?filter=unread'));
  });

  // Once its conversation is open the notice is old news: "Open" would go nowhere.
  it('the new-reply notice goes once its conversation is opened, and stays for another', async () => {
    signedInWithDemo();
    fake.thread.mockResolvedValue(aThreadView());
    const { user, router } = renderApp();
    await screen.findByRole('button', { name: 'Unread 2' });
    act(() => fake.emit('reply:new', { threadId: 't1', contactName: 'Ada Lovelace', body: 'Hi', at: '2026-11-29T12:00:00Z' }));
    act(() => fake.emit('reply:new', { threadId: 't2', contactName: 'Grace Hopper', body: 'Yes', at: '2026-11-29T12:01:00Z' }));
    expect(await screen.findByText(/New reply from Grace Hopper/)).toBeInTheDocument();
    await act(() => router.navigate('/c/c1/thread/t1'));
    await screen.findByRole('heading', { name: 'Ada Lovelace' });
    expect(screen.getByText(/New reply from Grace Hopper/)).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Open' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1/thread/t2'));
    await waitFor(() => expect(screen.queryByText(/New reply from/)).not.toBeInTheDocument());
  });

  it('a rejected change shows a notice with the reason until dismissed', async () => {
    signedInWithDemo();
    const { user } = renderApp();
    await screen.findByRole('button', { name: 'Unread 2' });
    act(() =>
      fake.emit('mutation:rejected', { id: 'x1', summary: 'Reply to Ada Lovelace', reason: 'Ada Lovelace opted out' }),
    );
    const notice = await screen.findByRole('alert');
    expect(notice).toHaveTextContent('Reply to Ada Lovelace');
    expect(notice).toHaveTextContent('Ada Lovelace opted out');
    await user.click(within(notice).getByRole('button', { name: /Dismiss/ }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  // The Dismiss pressed goes with its notice: the keyboard goes on to the next, then to the pane's heading.
  it('Dismiss on a refusal notice moves the keyboard on, not to the page', async () => {
    signedInWithDemo();
    const { user } = renderApp();
    await screen.findByRole('button', { name: 'Unread 2' });
    act(() => fake.emit('mutation:rejected', { id: 'x1', summary: 'Reply to Ada Lovelace', reason: 'Ada Lovelace opted out' }));
    act(() => fake.emit('mutation:rejected', { id: 'x2', summary: 'Reply to Alan Turing', reason: 'Alan Turing opted out' }));
    (await screen.findByRole('button', { name: 'Dismiss notice: Reply to Ada Lovelace' })).focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Dismiss notice: Reply to Alan Turing' })).toHaveFocus());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.getByRole('heading', { level: 1, name: 'Inbox' })).toHaveFocus());
  });

  it('sync:status shows offline and what is pending in words, never the raw error; Outbox lists it', async () => {
    signedInWithDemo();
    fake.outbox.mockResolvedValue([
      { id: 'x1', type: 'reply', summary: 'Reply to Ada Lovelace', createdAt: '2026-01-01T10:00:00Z', attempts: 0, rejected: false },
    ]);
    const { user } = renderApp();
    await screen.findByRole('button', { name: 'Unread 2' });
    // The status bar's (the list has a status region of its own: the held list's note).
    const bar = screen.getByRole('contentinfo');
    expect(within(bar).getByRole('status')).toHaveTextContent('Online');
    act(() =>
      fake.emit(
        'sync:status',
        aStatus({ online: false, connection: 'offline', pending: 2, lastError: 'dial tcp: connection refused', problem: "Can't reach the campaign server." }),
      ),
    );
    const line = within(bar).getByRole('status');
    await waitFor(() => expect(line).toHaveTextContent('Offline · 2 changes waiting to send'));
    // Said once: the sentence that says it again is the tooltip, and in full in the Outbox.
    expect(line).not.toHaveTextContent("Can't reach");
    expect(line).toHaveAttribute('title', "Can't reach the campaign server.");
    expect(screen.queryByText(/connection refused/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Outbox' }));
    expect(await screen.findByText('Reply to Ada Lovelace')).toBeInTheDocument();
    expect(screen.getByText("Can't reach the campaign server.")).toHaveClass('notice');
  });

  it('Join another campaign from the switcher', async () => {
    signedInWithDemo();
    const { user, router } = renderApp();
    // Back sits at the top, as on every other screen, and returns to the inbox.
    await user.click(await screen.findByRole('button', { name: 'Join another campaign' }));
    await user.click(await screen.findByRole('button', { name: 'Back' }));
    expect(router.state.location.pathname).toBe('/c/c1');
    expect(screen.queryByRole('heading', { name: 'Join a campaign' })).not.toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Join another campaign' }));
    fake.joinCampaign.mockResolvedValue(aCampaign({ id: 'c2', name: 'Clean Water Now' }));
    fake.campaigns.mockResolvedValue([aCampaign(), aCampaign({ id: 'c2', name: 'Clean Water Now' })]);
    await user.type(await screen.findByLabelText('Join code'), '654321');
    await user.click(screen.getByRole('button', { name: 'Join' }));
    await waitFor(() => expect(fake.counts).toHaveBeenLastCalledWith('c2'));
    // With two campaigns, the campaign name becomes a switcher.
    const switcher = await screen.findByRole('button', { name: /^Switch campaign/ });
    expect(switcher).toHaveAccessibleName('Switch campaign Clean Water Now');
    // Its name is said once (a title repeated it as a description; a cut name's tooltip: Sidebar.test).
    expect(switcher).toHaveAccessibleDescription('');
    await user.click(switcher);
    await user.click(screen.getByRole('menuitemradio', { name: 'Demo for Democracy' }));
    // The window is now Demo for Democracy's (the switcher follows the route).
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    expect(screen.getByRole('button', { name: 'Switch campaign Demo for Democracy' })).toHaveAccessibleDescription('');
  });

  // In a narrow window the sidebar folds behind Menu (shell.css): Esc folds it
  // again, as it closes other menus, and the keyboard goes back to Menu.
  it('Esc closes the sidebar opened with Menu and returns focus to Menu', async () => {
    signedInWithDemo();
    const { user } = renderApp();
    const menu = await screen.findByRole('button', { name: 'Menu' });
    await user.click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    await screen.findByRole('button', { name: 'Unread 2' });
    screen.getByRole('button', { name: 'Join another campaign' }).focus();
    await user.keyboard('{Escape}');
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    expect(menu).toHaveFocus();
  });

  it('Sign out forgets the volunteer and shows sign in', async () => {
    signedInWithDemo();
    const { user } = renderApp();
    await screen.findByRole('button', { name: 'Unread 2' });
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined }));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(fake.signOut).toHaveBeenCalled();
  });
});
