import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from './App';
import * as fake from './test/fakeBackend';
import { aCampaign, anAction, anItem, aStatus, aSummary, aThreadView } from './test/fixtures';

vi.mock('./backend', () => import('./test/fakeBackend'));

beforeEach(() => {
  fake.resetBackend();
  localStorage.clear();
});

function signedInWithDemo() {
  fake.status.mockResolvedValue(aStatus({ demo: true }));
  fake.campaigns.mockResolvedValue([aCampaign()]);
  fake.actions.mockResolvedValue([anAction()]);
  fake.counts.mockResolvedValue({ all: 4, unread: 2, needs_attention: 3, archive: 1, friends: 0, team: 0, canvassing: 0 });
  fake.threads.mockResolvedValue([aSummary(1, { unread: true }), aSummary(2)]);
}

describe('App', () => {
  it('signed out: sign in, no campaign yet: join, then the inbox', async () => {
    fake.status.mockResolvedValueOnce(aStatus({ signedIn: false, user: undefined }));
    render(<App />);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email'), 'vera@example.org');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const code = await screen.findByLabelText('Join code');
    fake.joinCampaign.mockResolvedValue(aCampaign());
    fake.campaigns.mockResolvedValue([aCampaign()]);
    await user.type(code, '123456');
    await user.click(screen.getByRole('button', { name: 'Join' }));

    expect(await screen.findByText('Demo for Democracy')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^All\b/ })).toBeInTheDocument();
    expect(fake.counts).toHaveBeenCalledWith('c1');
  });

  it('on the join screen, campaigns that arrive by sync open the inbox', async () => {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValueOnce([]);
    render(<App />);
    await screen.findByLabelText('Join code');
    signedInWithDemo();
    act(() => fake.emit('inbox:changed', undefined));
    expect(await screen.findByRole('button', { name: 'Unread 2' })).toBeInTheDocument();
  });

  it('in demo mode the join screen names the demo code the Go side reports', async () => {
    fake.status.mockResolvedValue(aStatus({ demo: true, demoJoinCode: '123456' }));
    fake.campaigns.mockResolvedValue([]);
    render(<App />);
    expect(await screen.findByText(/In this demo, it is 123456/)).toBeInTheDocument();
  });

  it('sign up is reachable from sign in', async () => {
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined }));
    render(<App />);
    await userEvent.click(await screen.findByRole('button', { name: 'Create an account' }));
    expect(screen.getByRole('button', { name: 'Sign up' })).toBeInTheDocument();
  });

  it('filters show counts; clicking one asks for that filter', async () => {
    signedInWithDemo();
    render(<App />);
    expect(await screen.findByRole('button', { name: 'Unread 2' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Needs Attention 3' })).toBeInTheDocument();
    await waitFor(() => expect(fake.threads).toHaveBeenCalledWith('all', 'c1', '', 0, 200));
    await userEvent.click(screen.getByRole('button', { name: /^Unread\b/ }));
    await waitFor(() => expect(fake.threads).toHaveBeenLastCalledWith('unread', 'c1', '', 0, 200));
  });

  it('opening a thread from the list shows it and marks it read', async () => {
    signedInWithDemo();
    fake.thread.mockResolvedValue(aThreadView());
    render(<App />);
    await userEvent.click((await screen.findAllByTestId('thread-row'))[0]);
    expect(await screen.findByRole('heading', { name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(fake.thread).toHaveBeenCalledWith('t1');
    expect(fake.markRead).toHaveBeenCalledWith('t1');
  });

  it('an action opens its intro; Start opens the send screen', async () => {
    signedInWithDemo();
    fake.queue.mockResolvedValue({ action: anAction(), items: [anItem(0)], remaining: 5 });
    render(<App />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /Get Out The Vote/ }));
    expect(screen.getByText('Be friendly. Stop if they ask you to.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(await screen.findByTestId('recipient-name')).toHaveTextContent('Ada Lovelace');
    expect(screen.getByText('1 left')).toBeInTheDocument();
  });

  it('inbox:changed refetches counts and the list', async () => {
    signedInWithDemo();
    render(<App />);
    await screen.findByRole('button', { name: 'Unread 2' });
    fake.counts.mockResolvedValue({ all: 5, unread: 3 });
    fake.threads.mockResolvedValue([aSummary(7, { lastMessage: 'Just arrived' })]);
    act(() => fake.emit('inbox:changed'));
    expect(await screen.findByRole('button', { name: 'Unread 3' })).toBeInTheDocument();
    expect(await screen.findByText('Just arrived')).toBeInTheDocument();
  });

  it('a rejected change shows a notice with the reason until dismissed', async () => {
    signedInWithDemo();
    render(<App />);
    await screen.findByRole('button', { name: 'Unread 2' });
    act(() =>
      fake.emit('mutation:rejected', { id: 'x1', summary: 'Reply to Ada Lovelace', reason: 'Ada Lovelace opted out' }),
    );
    const notice = await screen.findByRole('alert');
    expect(notice).toHaveTextContent('Reply to Ada Lovelace');
    expect(notice).toHaveTextContent('Ada Lovelace opted out');
    await userEvent.click(within(notice).getByRole('button', { name: /Dismiss/ }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('sync:status shows offline and what is pending; Outbox lists it', async () => {
    signedInWithDemo();
    fake.outbox.mockResolvedValue([
      { id: 'x1', type: 'reply', summary: 'Reply to Ada Lovelace', createdAt: '2026-01-01T10:00:00Z', attempts: 0, rejected: false },
    ]);
    render(<App />);
    await screen.findByRole('button', { name: 'Unread 2' });
    expect(screen.getByText('Online')).toBeInTheDocument();
    act(() => fake.emit('sync:status', aStatus({ online: false, pending: 2, lastError: 'connection refused' })));
    expect(screen.getByText('Offline — changes will be sent when the connection returns')).toBeInTheDocument();
    expect(screen.getByText('2 pending')).toBeInTheDocument();
    expect(screen.getByText(/connection refused/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Outbox' }));
    expect(await screen.findByText('Reply to Ada Lovelace')).toBeInTheDocument();
  });

  it('Join another campaign from the switcher', async () => {
    signedInWithDemo();
    render(<App />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Join another campaign' }));
    fake.joinCampaign.mockResolvedValue(aCampaign({ id: 'c2', name: 'Clean Water Now' }));
    fake.campaigns.mockResolvedValue([aCampaign(), aCampaign({ id: 'c2', name: 'Clean Water Now' })]);
    await user.type(screen.getByLabelText('Join code'), '654321');
    await user.click(screen.getByRole('button', { name: 'Join' }));
    await waitFor(() => expect(fake.counts).toHaveBeenLastCalledWith('c2'));
    expect(screen.getByRole('button', { name: 'Demo for Democracy' })).toBeInTheDocument();
  });
});
