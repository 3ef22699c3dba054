import { screen, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aStatus } from '../../test/fixtures';
import { renderApp } from '../../test/render';

async function open() {
  const r = renderApp('/settings');
  await screen.findByRole('heading', { name: 'Account' });
  return { ...r, account: screen.getByRole('region', { name: 'Account' }) };
}

describe('Settings: your name and password', () => {
  it('saves a new name, says so, and the account shows it', async () => {
    const { user, account } = await open();
    const name = within(account).getByRole('textbox', { name: 'Your name' });
    expect(name).toHaveValue('Vera Volunteer');
    const save = within(account).getByRole('button', { name: 'Save name' });
    expect(save).toBeDisabled(); // nothing changed yet
    await user.clear(name);
    expect(await within(account).findByText('Your name cannot be empty.')).toBeInTheDocument();
    expect(save).toBeDisabled();
    await user.type(name, '  Veronica Lake ');
    fake.status.mockResolvedValue(aStatus({ user: { id: 'u1', name: 'Veronica Lake', email: 'vera@example.org' } }));
    await user.click(save);
    expect(fake.rename).toHaveBeenCalledWith('Veronica Lake');
    expect(await within(account).findByRole('status')).toHaveTextContent('Your next texts say they are from Veronica Lake');
    expect(within(account).getByText('Veronica Lake')).toBeInTheDocument(); // "Signed in as"
  });

  it('a refused rename (offline) says why, beside the field, and keeps what was typed', async () => {
    fake.rename.mockRejectedValue('Your name was not changed: changing it needs the campaign server, which cannot be reached now. Try again when you are online');
    const { user, account } = await open();
    const name = within(account).getByRole('textbox', { name: 'Your name' });
    await user.clear(name);
    await user.type(name, 'Veronica');
    await user.click(within(account).getByRole('button', { name: 'Save name' }));
    expect(await within(account).findByRole('alert')).toHaveTextContent('Your name was not changed');
    expect(name).toHaveValue('Veronica');
    expect(name).toHaveAccessibleDescription(expect.stringContaining('Your name was not changed'));
    expect(name).toHaveAttribute('aria-invalid', 'true');
  });

  it('offline, both say the change needs the campaign server', async () => {
    fake.status.mockResolvedValue(aStatus({ connection: 'offline' }));
    const { user, account } = await open();
    expect(within(account).getByRole('textbox', { name: 'Your name' })).toHaveAccessibleDescription(
      'You are offline: changing your name needs the campaign server.',
    );
    await user.click(within(account).getByRole('button', { name: 'Change password' }));
    const form = within(account).getByRole('form', { name: 'Change password' });
    expect(within(form).getByText('You are offline: changing your password needs the campaign server.')).toBeInTheDocument();
  });

  // The status bar says "Server busy", or the refused address's fix: "You are offline" here was untrue.
  it.each([
    ['busy', { connection: 'offline' as const, serverBusy: true }, 'The campaign server is busy'],
    ['at a refused address', { connection: 'offline' as const, serverRefused: 'Textbank does not send to http:// addresses.' }, 'Textbank will not use this server address'],
  ])('with the server %s, both say so, not offline', async (_, over, words) => {
    fake.status.mockResolvedValue(aStatus(over));
    const { user, account } = await open();
    expect(within(account).getByRole('textbox', { name: 'Your name' })).toHaveAccessibleDescription(
      `${words}: changing your name needs the campaign server.`,
    );
    await user.click(within(account).getByRole('button', { name: 'Change password' }));
    const form = within(account).getByRole('form', { name: 'Change password' });
    expect(within(form).getByText(`${words}: changing your password needs the campaign server.`)).toBeInTheDocument();
  });

  it('changes the password: the two new ones must match before anything is sent', async () => {
    fake.changePassword.mockResolvedValue({ signedOut: 2 });
    const { user, account } = await open();
    await user.click(within(account).getByRole('button', { name: 'Change password' }));
    const form = within(account).getByRole('form', { name: 'Change password' });
    await user.type(within(form).getByLabelText('Current password'), 'correct horse battery');
    await user.type(within(form).getByLabelText('New password'), 'a brand new passphrase');
    await user.type(within(form).getByLabelText('New password again'), 'a brand new passphrase!');
    await user.click(within(form).getByRole('button', { name: 'Save new password' }));
    const again = within(form).getByLabelText('New password again');
    expect(again).toHaveAccessibleDescription('The two new passwords are not the same.');
    expect(again).toHaveAttribute('aria-invalid', 'true');
    expect(again).toHaveFocus();
    expect(within(form).getByLabelText('New password')).toHaveAccessibleDescription('At least 8 characters, not a common password, and without the part of your email before the @.');
    expect(fake.changePassword).not.toHaveBeenCalled();
    await user.clear(within(form).getByLabelText('New password again'));
    await user.type(within(form).getByLabelText('New password again'), 'a brand new passphrase');
    await user.click(within(form).getByRole('button', { name: 'Save new password' }));
    expect(fake.changePassword).toHaveBeenCalledWith('correct horse battery', 'a brand new passphrase');
    expect(await within(account).findByRole('status')).toHaveTextContent(
      'Password changed. 2 other computers signed in as you must sign in again with it.',
    );
    expect(within(account).queryByLabelText('Current password')).not.toBeInTheDocument();
  });

  it("a wrong current password is said in the server's words beside it, and the form stays", async () => {
    fake.changePassword.mockResolvedValue({
      signedOut: 0,
      field: 'current',
      problem: 'the current password is not right; the password was not changed',
    });
    const { user, account } = await open();
    await user.click(within(account).getByRole('button', { name: 'Change password' }));
    const form = within(account).getByRole('form', { name: 'Change password' });
    await user.type(within(form).getByLabelText('Current password'), 'wrong');
    await user.type(within(form).getByLabelText('New password'), 'a brand new passphrase');
    await user.type(within(form).getByLabelText('New password again'), 'a brand new passphrase');
    await user.click(within(form).getByRole('button', { name: 'Save new password' }));
    const current = within(form).getByLabelText('Current password');
    await vi.waitFor(() =>
      expect(current).toHaveAccessibleDescription('The current password is not right; the password was not changed.'),
    );
    expect(current).toHaveAttribute('aria-invalid', 'true');
    expect(current).toHaveFocus();
    expect(within(account).queryByRole('status')).not.toBeInTheDocument();
    // Typing again clears the problem.
    await user.type(current, 'x');
    expect(current).not.toHaveAttribute('aria-invalid');
  });

  it('a refusal that is no field (offline) is said under the form; Cancel forgets what was typed', async () => {
    fake.changePassword.mockRejectedValue('Your password was not changed: changing it needs the campaign server, which cannot be reached now. Try again when you are online');
    const { user, account } = await open();
    await user.click(within(account).getByRole('button', { name: 'Change password' }));
    let form = within(account).getByRole('form', { name: 'Change password' });
    await user.type(within(form).getByLabelText('Current password'), 'correct horse battery');
    await user.type(within(form).getByLabelText('New password'), 'a brand new passphrase');
    await user.type(within(form).getByLabelText('New password again'), 'a brand new passphrase');
    await user.click(within(form).getByRole('button', { name: 'Save new password' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('Your password was not changed');
    await user.click(within(form).getByRole('button', { name: 'Cancel' }));
    await user.click(within(account).getByRole('button', { name: 'Change password' }));
    form = within(account).getByRole('form', { name: 'Change password' });
    expect(within(form).getByLabelText('Current password')).toHaveValue('');
    expect(within(form).getByLabelText('New password')).toHaveValue('');
    expect(within(form).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says Saving… while the change is asked', async () => {
    let answer: (v: { signedOut: number }) => void = () => {};
    fake.changePassword.mockReturnValue(new Promise((r) => (answer = r)));
    const { user, account } = await open();
    await user.click(within(account).getByRole('button', { name: 'Change password' }));
    const form = within(account).getByRole('form', { name: 'Change password' });
    await user.type(within(form).getByLabelText('Current password'), 'correct horse battery');
    await user.type(within(form).getByLabelText('New password'), 'a brand new passphrase');
    await user.type(within(form).getByLabelText('New password again'), 'a brand new passphrase');
    await user.click(within(form).getByRole('button', { name: 'Save new password' }));
    expect(await within(form).findByRole('button', { name: 'Saving…' })).toBeDisabled();
    answer({ signedOut: 0 });
    expect(await within(account).findByRole('status')).toHaveTextContent(/^Password changed\.$/);
  });

  it('signed out, neither is offered', async () => {
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined }));
    renderApp('/settings');
    await screen.findByRole('heading', { name: 'Account' });
    expect(screen.queryByRole('textbox', { name: 'Your name' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Change password' })).not.toBeInTheDocument();
  });
});
