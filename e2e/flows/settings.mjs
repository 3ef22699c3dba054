// The status bar's Outbox with the Automatic Archive Setting, and the
// Settings screen and the keyboard shortcuts sheet (? opens it, Esc closes it).
import assert from 'node:assert/strict';
import { focusedSoon } from '../a11y.mjs';
import { assertFocusKept, axe, eventually, page } from '../session.mjs';

/** The Outbox and the Automatic Archive Setting, changed and changed back. */
export async function outboxAndAutomaticArchive() {
  await page.getByRole('button', { name: 'Outbox' }).click();
  await page.getByRole('heading', { name: 'Outbox' }).waitFor();
  await axe('outbox');
  // The same Back ("‹") as a conversation's and Settings', no Close of its own.
  assert.equal(await page.getByRole('main').getByRole('button', { name: 'Close', exact: true }).count(), 0, 'the Outbox has Back, not Close');
  // Esc closes menus and dialogs only: on the Outbox it leaves the screen as it is.
  await page.getByRole('heading', { name: 'Outbox' }).focus();
  await page.keyboard.press('Escape');
  assert.ok(page.url().endsWith('/outbox'), 'Esc left the Outbox open');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await eventually(async () => !page.url().endsWith('/outbox'), 'Back to leave the Outbox');
  const toggle = page.getByRole('switch', { name: 'Automatic archive', exact: true });
  const was = await toggle.isChecked();
  await toggle.click();
  await eventually(async () => (await toggle.isChecked()) === !was, 'the setting to change');
  // Let the change reach the server before changing it back.
  await eventually(async () => !/change/.test(await page.locator('.statusbar').getByRole('status').innerText()), 'the change to be sent');
  await new Promise((r) => setTimeout(r, 1500));
  await toggle.click();
  await eventually(async () => (await toggle.isChecked()) === was, 'the setting to change back');
}

/** Settings and the keyboard shortcuts sheet pass axe; ? opens the sheet, Esc closes it. */
export async function settingsAndShortcuts() {
  // Join another campaign leaves by the same Back at the top as Settings.
  await page.getByRole('button', { name: 'Join another campaign' }).click();
  await page.getByRole('heading', { level: 1, name: 'Join a campaign' }).waitFor();
  await axe('join-another');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await eventually(async () => (await page.getByRole('heading', { level: 1, name: 'Join a campaign' }).count()) === 0, 'Back to leave Join another campaign');

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  await axe('settings');
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  // Settings has the status bar (its Shortcuts) too: back in the inbox once its heading has gone.
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Shortcuts', exact: true }).waitFor();

  await page.getByRole('heading', { level: 1 }).first().focus();
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await sheet.waitFor();
  assert.equal((await focusedSoon(page, (f) => f.name === 'Close')).name, 'Close', 'the sheet puts focus on Close');
  await axe('shortcuts');
  await page.keyboard.press('Escape');
  await eventually(async () => (await sheet.count()) === 0, 'Esc to close the sheet');
  await assertFocusKept('after closing the sheet');
  // And from the status bar, for those who do not know about ?.
  await page.getByRole('button', { name: 'Shortcuts', exact: true }).click();
  await sheet.waitFor();
  await page.getByRole('button', { name: 'Close', exact: true }).click();
}
