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
    expect(within(account).getByText('Your name cannot be empty.')).toBeInTheDocument();
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
  });

  it('changes the password: the two new ones must match before anything is sent', async () => {
    fake.changePassword.mockResolvedValue(2);
    const { user, account } = await open();
    await user.click(within(account).getByRole('button', { name: 'Change password' }));
    const form = within(account).getByRole('form', { name: 'Change password' });
    await user.type(within(form).getByLabelText('Current password'), 'correct horse battery');
    await user.type(within(form).getByLabelText('New password'), 'a brand new passphrase');
    await user.type(within(form).getByLabelText('New password again'), 'a brand new passphrase!');
    await user.click(within(form).getByRole('button', { name: 'Save new password' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('The two new passwords are not the same.');
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

  it("a wrong current password is said in the server's words, and the form stays", async () => {
    fake.changePassword.mockRejectedValue('the current password is not right; the password was not changed');
    const { user, account } = await open();
    await user.click(within(account).getByRole('button', { name: 'Change password' }));
    const form = within(account).getByRole('form', { name: 'Change password' });
    await user.type(within(form).getByLabelText('Current password'), 'wrong');
    await user.type(within(form).getByLabelText('New password'), 'a brand new passphrase');
    await user.type(within(form).getByLabelText('New password again'), 'a brand new passphrase');
    await user.click(within(form).getByRole('button', { name: 'Save new password' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('The current password is not right; the password was not changed.');
    expect(within(form).getByLabelText('Current password')).toBeInTheDocument();
  });

  it('signed out, neither is offered', async () => {
    fake.status.mockResolvedValue(aStatus({ signedIn: false, user: undefined }));
    renderApp('/settings');
    await screen.findByRole('heading', { name: 'Account' });
    expect(screen.queryByRole('textbox', { name: 'Your name' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Change password' })).not.toBeInTheDocument();
  });
});
