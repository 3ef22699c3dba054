import { screen, waitFor } from '@testing-library/react';
import type userEvent from '@testing-library/user-event';
import { SignUp } from './SignUp';
import * as fake from '../../test/fakeBackend';
import { renderScreen } from '../../test/render';
import { aStatus } from '../../test/fixtures';

function setup() {
  const r = renderScreen(<SignUp />, { pattern: '/signup' });
  const onSignedUp = () => r.router.state.location.pathname === '/';
  return { ...r, onSignedUp };
}

async function fill(user: ReturnType<typeof userEvent.setup>, name: string, email: string, password: string) {
  if (name) await user.type(screen.getByLabelText('Name'), name);
  if (email) await user.type(screen.getByLabelText('Email'), email);
  if (password) await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign up' }));
}

describe('SignUp', () => {
  // The rules are Go's (backend/account, tested there); here, that the form
  // asks them with what was typed and shows each answer under its field.
  it.each([
    { name: 'empty name', fields: ['', 'vera@example.org', 'long enough'], field: 'Name', problems: { name: 'name is required' }, message: /^Name is required\.$/ },
    { name: 'malformed email', fields: ['Vera', 'vera@', 'long enough'], field: 'Email', problems: { email: '"vera@" is not an email address (like name@example.org)' }, message: /"vera@" is not an email address/ },
    { name: 'short password', fields: ['Vera', 'vera@example.org', 'short'], field: 'Password', problems: { password: 'password must be at least 8 characters' }, message: /Password must be at least 8 characters/ },
  ])('$name: says what is wrong and does not call the server', async ({ fields, field, problems, message }) => {
    fake.checkSignUp.mockResolvedValue({ name: '', email: '', password: '', ...problems });
    const { user } = setup();
    await fill(user, fields[0], fields[1], fields[2]);
    expect(fake.checkSignUp).toHaveBeenCalledWith(fields[0], fields[1], fields[2]);
    const input = screen.getByLabelText(field);
    await waitFor(() => expect(input).toHaveAttribute('aria-invalid', 'true'));
    expect(input).toHaveAccessibleDescription(message);
    expect(input).toHaveFocus();
    expect(fake.signUp).not.toHaveBeenCalled();
  });

  it('shows every bad field at once, focusing the first', async () => {
    fake.checkSignUp.mockResolvedValue({ name: 'name is required', email: '"nope" is not an email address (like name@example.org)', password: 'password must be at least 8 characters' });
    const { user } = setup();
    await fill(user, '', 'nope', 'short');
    expect(await screen.findByText('Name is required.')).toBeInTheDocument();
    expect(screen.getByText(/is not an email address/)).toBeInTheDocument();
    expect(screen.getByText(/at least 8 characters/)).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveFocus();
  });

  // The server refuses a common password, and one holding the email's part before the @, as well as a short one:
  // all three are said before the password is typed, as its description (a placeholder went with the first key).
  it('says the three rules a password must meet, the shortest length as Go allows, before it is typed', async () => {
    fake.minPassword.mockResolvedValue(10);
    setup();
    const password = screen.getByLabelText('Password');
    await waitFor(() =>
      expect(password).toHaveAccessibleDescription('At least 10 characters, not a common password, and without the part of your email before the @.'),
    );
    expect(password).not.toHaveAttribute('placeholder');
  });

  // The hint says the rules; a refusal keeps the server's own words, which name the one broken.
  it("a refused password says the server's words under the hint", async () => {
    const { user } = setup();
    fake.signUp.mockRejectedValue('this password is on the list of the most common passwords, which attackers try first; choose another');
    await fill(user, 'Vera', 'vera@example.org', 'password123');
    expect(await screen.findByRole('alert')).toHaveTextContent('This password is on the list of the most common passwords, which attackers try first; choose another.');
  });

  // The account is made on a server: which one is said as on sign-in, and a
  // refused plain http:// address says so before a password is sent.
  it('names the server the account is made on', async () => {
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined }));
    setup();
    expect(await screen.findByText('Server: http://127.0.0.1:8787')).toBeInTheDocument();
  });

  it('a refused plain http:// server address says what to do, with the way to Settings', async () => {
    const why = 'Textbank no longer connects to http://old.example.org: enter its https:// address in Settings.';
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined, serverRefused: why }));
    const { user, router } = setup();
    expect(await screen.findByRole('alert')).toHaveTextContent(why);
    await user.click(screen.getByRole('link', { name: 'Open Settings' }));
    expect(router.state.location.pathname).toBe('/settings');
  });

  it('signs up with good fields', async () => {
    const { user, onSignedUp } = setup();
    await fill(user, 'Vera Volunteer', 'vera@example.org', 'long enough');
    expect(fake.signUp).toHaveBeenCalledWith('Vera Volunteer', 'vera@example.org', 'long enough');
    await waitFor(() => expect(onSignedUp()).toBe(true));
  });

  it('shows the server error, e.g. an email already taken', async () => {
    fake.signUp.mockRejectedValue('an account with email vera@example.org already exists');
    const { user, onSignedUp } = setup();
    await fill(user, 'Vera Volunteer', 'vera@example.org', 'long enough');
    expect(await screen.findByRole('alert')).toHaveTextContent('already exists');
    expect(onSignedUp()).toBe(false);
  });
});
