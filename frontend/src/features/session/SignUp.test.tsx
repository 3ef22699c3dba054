import { screen, waitFor } from '@testing-library/react';
import type userEvent from '@testing-library/user-event';
import { SignUp } from './SignUp';
import * as fake from '../../test/fakeBackend';
import { renderScreen } from '../../test/render';

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
  it.each([
    { name: 'empty name', fields: ['', 'vera@example.org', 'long enough'], field: 'Name', message: /Enter your name/ },
    { name: 'blank name', fields: ['   ', 'vera@example.org', 'long enough'], field: 'Name', message: /Enter your name/ },
    { name: 'empty email', fields: ['Vera', '', 'long enough'], field: 'Email', message: /Enter your email address/ },
    { name: 'malformed email', fields: ['Vera', 'vera@', 'long enough'], field: 'Email', message: /"vera@" is not an email address/ },
    { name: 'empty password', fields: ['Vera', 'vera@example.org', ''], field: 'Password', message: /Choose a password/ },
    { name: 'short password', fields: ['Vera', 'vera@example.org', 'short'], field: 'Password', message: /at least 8 characters/ },
  ])('$name: says what is wrong and does not call the server', async ({ fields, field, message }) => {
    const { user } = setup();
    await fill(user, fields[0], fields[1], fields[2]);
    const input = screen.getByLabelText(field);
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(message);
    expect(input).toHaveFocus();
    expect(fake.signUp).not.toHaveBeenCalled();
  });

  it('shows every bad field at once', async () => {
    const { user } = setup();
    await fill(user, '', 'nope', 'short');
    expect(screen.getByText(/Enter your name/)).toBeInTheDocument();
    expect(screen.getByText(/is not an email address/)).toBeInTheDocument();
    expect(screen.getByText(/at least 8 characters/)).toBeInTheDocument();
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
