import { act, screen, waitFor } from '@testing-library/react';
import { SignIn } from './SignIn';
import * as fake from '../../test/fakeBackend';
import { renderApp, renderScreen } from '../../test/render';
import { aCampaign, aStatus, aSummary } from '../../test/fixtures';

function setup() {
  const r = renderScreen(<SignIn />, { pattern: '/signin' });
  const onSignedIn = () => r.router.state.location.pathname === '/';
  return { ...r, onSignedIn };
}

describe('SignIn', () => {
  it("says at once when this computer's copy of the inbox cannot be opened, before any sign-in is tried", async () => {
    const words = "Textbank could not open this computer's copy of your inbox. Try again in a moment.";
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined, unopened: true, problem: words }));
    setup();
    expect(await screen.findByRole('alert')).toHaveTextContent(words);
    expect(fake.signIn).not.toHaveBeenCalled();
  });

  it('signs in with the email and password typed', async () => {
    const { user, onSignedIn } = setup();
    await user.type(screen.getByLabelText('Email'), ' vera@example.org ');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(fake.signIn).toHaveBeenCalledWith('vera@example.org', 'correct horse');
    await waitFor(() => expect(onSignedIn()).toBe(true));
  });

  it.each([
    ['wrong password', 'email or password is wrong', 'Email or password is wrong.'],
    // The transport's words (dial tcp, connection refused) are for the log; the volunteer reads what to do.
    [
      'server unreachable',
      'cannot reach the campaign server at http://127.0.0.1:8787: Post "http://127.0.0.1:8787/api/v1/login": dial tcp 127.0.0.1:8787: connect: connection refused',
      "Can't reach the campaign server at http://127.0.0.1:8787. Check your internet connection, or the server address in Settings.",
    ],
  ])('shows the server error: %s', async (_name, error, message) => {
    fake.signIn.mockRejectedValue(error);
    const { user, onSignedIn } = setup();
    await user.type(screen.getByLabelText('Email'), 'vera@example.org');
    await user.type(screen.getByLabelText('Password'), 'nope nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(onSignedIn()).toBe(false);
  });

  it('says the server is busy and Textbank is trying again while Go asks a busy server again', async () => {
    let finish: (u: Awaited<ReturnType<typeof fake.signIn>>) => void = () => {};
    fake.signIn.mockImplementation(() => new Promise((resolve) => (finish = resolve)));
    const { user, onSignedIn } = setup();
    await user.type(screen.getByLabelText('Email'), 'vera@example.org');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(fake.signIn).toHaveBeenCalled());
    expect(screen.queryByText('Server busy, trying again…')).not.toBeInTheDocument();
    act(() => fake.emit('server:busy-retry', { call: 'signIn', key: '', seconds: 2 }));
    expect(screen.getByRole('status')).toHaveTextContent('Server busy, trying again…');
    act(() => finish({ id: 'u1', name: 'Vera', email: 'vera@example.org' } as Awaited<ReturnType<typeof fake.signIn>>));
    await waitFor(() => expect(onSignedIn()).toBe(true));
  });

  it('shows plainly that the server is still busy once Go has given up', async () => {
    fake.signIn.mockRejectedValue('The campaign server is still busy after 3 tries. Try again in a minute.');
    const { user } = setup();
    await user.type(screen.getByLabelText('Email'), 'vera@example.org');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The campaign server is still busy after 3 tries. Try again in a minute.');
    expect(screen.queryByText('Server busy, trying again…')).not.toBeInTheDocument();
  });

  it('refuses a malformed email before asking the server', async () => {
    // The rule is Go's (backend/account); the form asks it and shows its words.
    fake.checkSignIn.mockResolvedValue({ name: '', email: '"vera-at-example" is not an email address (like name@example.org)', password: '' });
    const { user } = setup();
    await user.type(screen.getByLabelText('Email'), 'vera-at-example');
    await user.type(screen.getByLabelText('Password'), 'whatever1');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(fake.checkSignIn).toHaveBeenCalledWith('vera-at-example', 'whatever1');
    expect(await screen.findByText('"vera-at-example" is not an email address (like name@example.org).')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(fake.signIn).not.toHaveBeenCalled();
  });

  // Signed out of the demo, a newcomer has only this screen: it names the demo's accounts.
  it('in demo mode, names the demo accounts to sign in with', async () => {
    fake.status.mockResolvedValue(
      aStatus({
        signedIn: false,
        user: undefined,
        demo: true,
        demoSignIns: [
          { who: 'volunteer', email: 'demo@textbank.local', password: 'textbank-demo' },
          { who: 'organizer', email: 'organizer@textbank.local', password: 'textbank-demo' },
        ],
      }),
    );
    setup();
    const hint = await screen.findByRole('list', { name: 'In this demo, sign in as' });
    expect(hint).toHaveTextContent('The volunteer: demo@textbank.local, password textbank-demo');
    expect(hint).toHaveTextContent('The organizer: organizer@textbank.local, password textbank-demo');
    // The demo's server by what it is, not its loopback address (which the log has).
    expect(screen.getByText('Server: Demo server on this computer')).toBeInTheDocument();
    expect(screen.queryByText(/127\.0\.0\.1/)).not.toBeInTheDocument();
  });

  it('outside demo mode, names no accounts', async () => {
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined }));
    setup();
    await screen.findByText('Server: http://127.0.0.1:8787');
    expect(screen.queryByText(/In this demo/)).not.toBeInTheDocument();
  });

  it('a refused plain http:// server address says what to do, with the way to Settings', async () => {
    const why = 'Textbank no longer connects to http://old.example.org: enter its https:// address in Settings.';
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined, serverRefused: why }));
    const { user, router } = setup();
    expect(await screen.findByRole('alert')).toHaveTextContent(why);
    await user.click(screen.getByRole('link', { name: 'Open Settings' }));
    expect(router.state.location.pathname).toBe('/settings');
  });

  it('offers to create an account', async () => {
    const { user, router } = setup();
    await user.click(screen.getByRole('link', { name: 'Create an account' }));
    expect(router.state.location.pathname).toBe('/signup');
  });

  it('says who can help with a forgotten password', () => {
    setup();
    expect(screen.getByText(/Forgot your password\? Your campaign’s organizer can set a new one/)).toBeInTheDocument();
  });
});

describe('an expired sign-in', () => {
  it('takes the volunteer to sign-in, says what is kept, and signs the same person in again', async () => {
    fake.status.mockResolvedValue(aStatus({ sessionExpired: true, pending: 2 }));
    fake.campaigns.mockResolvedValue([aCampaign()]);
    const { user, router } = renderApp('/c/c1');
    expect(await screen.findByRole('status')).toHaveTextContent('Your sign-in has ended');
    expect(screen.getByRole('status')).toHaveTextContent('2 unsent changes');
    // Every way a sign-in ends is named, the 90-day limit on every sign-in included.
    expect(screen.getByRole('status')).toHaveTextContent(
      'sign-ins end after 30 days unused or 90 days after signing in, or when an organizer ends them.',
    );
    expect(router.state.location.pathname).toBe('/signin');
    expect(screen.getByLabelText('Email')).toHaveValue('vera@example.org');
    fake.status.mockResolvedValue(aStatus());
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(fake.signIn).toHaveBeenCalledWith('vera@example.org', 'long enough');
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
  });

  it('signed in as someone else, the window shows nothing it read for the one before', async () => {
    fake.campaigns.mockResolvedValue([aCampaign()]);
    fake.threads.mockResolvedValue([aSummary(1, { contactName: 'Ada Private' })]);
    const { user, router } = renderApp('/c/c1');
    expect(await screen.findByText('Ada Private')).toBeInTheDocument();
    fake.status.mockResolvedValue(aStatus({ sessionExpired: true }));
    act(() => fake.emit('sync:status', aStatus({ sessionExpired: true, seq: 1 })));
    await waitFor(() => expect(router.state.location.pathname).toBe('/signin'));
    const otto = { id: 'u2', name: 'Otto Other', email: 'otto@example.org' };
    fake.signIn.mockResolvedValue(otto);
    fake.status.mockResolvedValue(aStatus({ user: otto }));
    fake.threads.mockReturnValue(new Promise(() => {})); // Otto's list is still being read
    await user.clear(await screen.findByLabelText('Email'));
    await user.type(screen.getByLabelText('Email'), 'otto@example.org');
    await user.type(screen.getByLabelText('Password'), 'long enough');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    expect(await screen.findByRole('heading', { name: 'Inbox', level: 1 })).toBeInTheDocument();
    expect(screen.queryByText('Ada Private')).not.toBeInTheDocument();
  });
});

describe('a sign-in ended with nothing waiting', () => {
  it('says this computer’s copy was deleted and offers the same account', async () => {
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined, signInEnded: 'vera@example.org' }));
    const { router } = renderApp('/c/c1');
    await waitFor(() => expect(router.state.location.pathname).toBe('/signin'));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Nothing was waiting to be sent, so Textbank deleted this computer’s copy of your inbox.',
    );
    expect(screen.getByLabelText('Email')).toHaveValue('vera@example.org');
  });
});

describe('a sign-in ended with changes waiting', () => {
  it('says the copy was deleted but the changes kept, and that signing in again sends them', async () => {
    fake.status.mockResolvedValue(
      aStatus({ signedIn: false, user: undefined, signInEnded: 'vera@example.org', pending: 2 }),
    );
    const { router } = renderApp('/c/c1');
    await waitFor(() => expect(router.state.location.pathname).toBe('/signin'));
    const notice = await screen.findByRole('status');
    expect(notice).toHaveTextContent(
      'Textbank deleted this computer’s copy of your inbox but kept your 2 unsent changes. Sign in again as vera@example.org to send them; your inbox comes back from the campaign server. Signing in as someone else deletes them.',
    );
    expect(notice).not.toHaveTextContent('Nothing was waiting');
    expect(screen.getByLabelText('Email')).toHaveValue('vera@example.org');
  });

  it('speaks of one change as it', async () => {
    fake.status.mockResolvedValue(
      aStatus({ signedIn: false, user: undefined, signInEnded: 'vera@example.org', pending: 1 }),
    );
    renderApp('/signin');
    expect(await screen.findByRole('status')).toHaveTextContent(
      'kept your 1 unsent change. Sign in again as vera@example.org to send it;',
    );
  });
});
