// Fill Report on a conversation (a toggle, a choice, a second partial report
// and the history), and the banner that opts out a contact who asks in their
// own words to stop.
import assert from 'node:assert/strict';
import { axe, eventually, openRow, page, shot, showFilter } from '../session.mjs';

/** Fill Report with a toggle and a choice; the thread shows the latest values. */
export async function fillReport() {
  const who = await openRow('Needs Attention', /Peer-to-Peer/);
  assert.ok(who, 'a Get Out The Vote thread needs attention');
  await page.getByRole('button', { name: 'Fill Report' }).click();
  const dialog = page.getByRole('dialog', { name: `Report on ${who}` });
  await dialog.waitFor();
  // The action's fields in the admin's order, then Opt Out and Notes.
  const switches = await dialog.getByRole('switch').all();
  const names = [];
  for (const s of switches) names.push(await s.getAttribute('id'));
  assert.deepEqual(names, ['report-will_vote', 'report-needs_ride', 'report-opt_out']);
  await dialog.getByRole('switch', { name: 'Will vote' }).check();
  await dialog.getByRole('radio', { name: 'Strong Supporter' }).check();
  // The radios are the app's (styles.css), not the desktop theme's: in dark mode its white discs
  // looked picked whether picked or not. Drawn by the app, an unpicked one shows the page's colour.
  const look = await dialog.getByRole('radio', { name: 'Undecided' }).evaluate((el) => getComputedStyle(el).appearance);
  assert.equal(look, 'none', 'the report form draws its own radios');
  await dialog.getByRole('textbox', { name: 'Voters in household' }).fill('3');
  await dialog.getByRole('textbox', { name: 'Notes' }).fill('Voting early with her sister');
  await shot('report-form');
  await dialog.getByRole('button', { name: 'Submit Report' }).click();
  await dialog.waitFor({ state: 'detached' });
  const summary = page.getByRole('region', { name: 'Report' });
  const latest = (text) => summary.locator('dd', { hasText: text });
  await latest('Strong Supporter').waitFor();
  await latest('Voting early with her sister').waitFor();
  // A second, partial report: only the choice changes; the history keeps both.
  await page.getByRole('button', { name: 'Fill Report' }).click();
  await dialog.getByRole('radio', { name: 'Lean Supporter' }).check();
  await dialog.getByRole('button', { name: 'Submit Report' }).click();
  await latest('Lean Supporter').waitFor();
  await summary.getByText(/Report history \(2, newest first\)/).click();
  await eventually(async () => (await summary.getByRole('listitem').count()) === 2, 'two reports in the history');
  assert.match(await summary.innerText(), /Will vote:\s*Yes/);
  await shot('report-history');
}

/** A contact asks in their own words to stop: the banner opts them out. */
export async function optOutBanner() {
  const asks = /no more texts|leave me alone|remove me|take me off|don.t text/i;
  // Its row says so in the list, before the thread is opened.
  await showFilter('Needs Attention');
  const row = page.getByTestId('thread-row').filter({ hasText: asks }).first();
  await eventually(async () => (await row.count()) > 0, 'a row asking to be left alone', 120_000);
  assert.match(await row.innerText(), /May be an opt-out/, 'the row of a likely opt-out says so');
  await row.scrollIntoViewIfNeeded();
  await shot('optout-row');
  const who = await openRow('Needs Attention', asks, 120_000);
  assert.ok(who, 'a contact asked to be left alone');
  const banner = page.getByRole('region', { name: 'This may be an opt-out request' });
  await banner.waitFor();
  await shot('optout-banner');
  await banner.getByRole('button', { name: 'Opt Out' }).click();
  await banner.waitFor({ state: 'detached' });
  await page.getByText(`${who} opted out`).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByLabel('Reply').count(), 0, 'an opted-out contact cannot be replied to');
  // Fill Report shows the opt-out on, and not the volunteer's to undo.
  await page.getByRole('button', { name: 'Fill Report' }).click();
  const dialog = page.getByRole('dialog', { name: `Report on ${who}` });
  const toggle = dialog.getByRole('switch', { name: 'Opt Out' });
  assert.ok(await toggle.isChecked(), 'Opt Out is on for a contact who opted out');
  assert.ok(await toggle.isDisabled(), 'Opt Out cannot be turned off');
  await axe('report-opted-out');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
}
