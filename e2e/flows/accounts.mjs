// Signing out (and the unsent-changes dialog), signing in and signing up
// against the real server, finding a campaign by name or code, and signing
// back in as the demo volunteer.
import assert from 'node:assert/strict';
import { focusedSoon } from '../a11y.mjs';
import { axe, eventually, filterCount, page } from '../session.mjs';

/** Sign out, the sign-in and sign-up screens against the real server; ends signed in again. */
export async function signOutInAndUp() {
  // With changes not yet sent, Sign out asks first. Everything has reached
  // the server by now, so the outbox binding is made to answer with two
  // changes, one refused, for the dialog's look (axe, light and dark).
  await page.evaluate(() => {
    const inbox = window.go.app.Inbox;
    window.__realOutbox = inbox.Outbox;
    const at = new Date().toISOString();
    inbox.Outbox = () => Promise.resolve([
      { id: 'e2e-1', type: 'reply', summary: 'Reply to a contact', createdAt: at, attempts: 1, rejected: false },
      { id: 'e2e-2', type: 'report', summary: 'Report on a contact', createdAt: at, attempts: 1, rejected: true, reason: 'this contact opted out' },
    ]);
  });
  await page.getByRole('button', { name: 'Sign out' }).click();
  const asking = page.getByRole('alertdialog', { name: 'Sign out with unsent changes?' });
  await asking.waitFor();
  await asking.getByRole('button', { name: 'Sign out and discard 2 unsent changes' }).waitFor();
  assert.equal((await focusedSoon(page, (f) => f.name === 'Cancel')).name, 'Cancel', 'the dialog puts focus on Cancel');
  await axe('sign-out-dialog');
  await page.evaluate(() => { window.go.app.Inbox.Outbox = window.__realOutbox; });
  await asking.getByRole('button', { name: 'Cancel' }).click();
  await asking.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Sign out' }).click();
  // Signed out of the demo, the screen names its accounts (main.go passes them through Status).
  const demoAccounts = page.getByRole('list', { name: 'In this demo, sign in as' });
  await demoAccounts.waitFor();
  assert.match(await demoAccounts.innerText(), /The volunteer: demo@textbank\.local, password textbank-demo/);
  assert.match(await demoAccounts.innerText(), /The organizer: organizer@textbank\.local, password textbank-demo/);
  await axe('sign-in');
  const email = page.getByLabel('Email');
  const password = page.getByLabel('Password');

  // A wrong password is refused with a message, and nothing else happens.
  await email.fill('demo@textbank.local');
  await password.fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('alert').first().waitFor();
  assert.ok(await email.isVisible(), 'still on the sign-in screen');

  // Sign up: an email that is taken is named by the server's answer.
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill('Eve Example');
  await page.getByLabel('Email').fill('demo@textbank.local');
  await page.getByLabel('Password').fill('long-enough-password');
  // The password's rules are said under it before anyone submits.
  await page.getByText(/^At least \d+ characters, not a common password/).waitFor();
  await axe('sign-up');
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: /already/i }).first().waitFor();

  // A fresh account lands on the join screen.
  await page.getByLabel('Email').fill(`eve-${Date.now()}@example.org`);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByLabel('Join code').waitFor();

  // The other way in: find the campaign by searching its name, or its code.
  // A result found by its code joins with that code (a private campaign,
  // found no other way, cannot be joined by id).
  const find = page.getByLabel('Search campaigns');
  const result = page.getByRole('button', { name: 'Join Demo for Democracy' });
  await find.fill('Democracy');
  await result.waitFor();
  await find.fill('');
  await result.waitFor({ state: 'detached' });
  await find.fill('123456');
  await result.click();
  await page.getByRole('button', { name: /Get Out The Vote/ }).first().waitFor();

  // The name their texts carry is changed in Settings > Account; the status bar names it.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  const yourName = page.getByLabel('Your name');
  assert.equal(await yourName.inputValue(), 'Eve Example', 'Your name shows the name signed up with');
  await yourName.fill('Eve Newname');
  await page.getByRole('button', { name: 'Save name' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved. Your next texts say they are from Eve Newname.' }).waitFor();
  await axe('settings-renamed');
  // A password change: a wrong current password is said beside that field; the right one changes it.
  await page.getByRole('button', { name: 'Change password' }).click();
  const current = page.getByLabel('Current password');
  await current.fill('not-the-password');
  await page.getByLabel('New password', { exact: true }).fill('another-long-passphrase');
  await page.getByLabel('New password again').fill('another-long-passphrase');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await page.locator('#current-password-error').filter({ hasText: 'The current password is not right' }).waitFor();
  assert.equal(await current.getAttribute('aria-invalid'), 'true', 'the current password is marked wrong');
  assert.match(await current.getAttribute('aria-describedby'), /current-password-error/, 'its problem is tied to it');
  await axe('settings-password-wrong');
  await current.fill('long-enough-password');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await page.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  // Settings has the status bar too: back in the inbox once its heading has gone.
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor({ state: 'detached' });
  const statusBar = page.locator('.statusbar');
  await statusBar.waitFor();
  await eventually(async () => /Eve Newname/.test(await statusBar.innerText()), 'the status bar to name the new name');
  await page.getByRole('button', { name: 'Sign out' }).click();

  // The demo volunteer signs back in and finds the campaign it joined.
  await page.getByLabel('Email').fill('demo@textbank.local');
  await page.getByLabel('Password').fill('textbank-demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: /Get Out The Vote/ }).first().waitFor();
  await eventually(async () => (await filterCount('All')()) > 0, 'the synced inbox after signing in again');
}
