// The keyboard-only walk's steps in an open conversation after a reply was
// sent: Fill Report with P (a field set with Space, submitted with Enter),
// then archive and unarchive with E. Each step checks that focus lands where
// the work continues and that its ring is visible; axe checks the report
// dialog in the light and the dark scheme.
import assert from 'node:assert/strict';
import { assertNoViolations, assertVisibleRing, focused, focusedSoon, tabTo } from './a11y.mjs';

/**
 * From the reply box of the thread with `who` open; leaves focus on Follow Up.
 * `settled` (async): resolves once the contact has answered the reply, or
 * can no longer; the archive waits for it (an answer brings the thread back).
 */
export async function reportAndArchiveByKeyboard(page, who, { shots, eventually, settled = async () => {} }) {
  // Letter shortcuts wait outside the text fields: Shift+Tab leaves Reply for Follow Up.
  await page.keyboard.press('Shift+Tab');
  const opener = await focused(page);
  assert.equal(opener.name, 'Follow Up', `Shift+Tab from Reply reaches Follow Up (it is on ${opener.text})`);

  await page.keyboard.press('p');
  const dialog = page.getByRole('dialog', { name: `Report on ${who}` });
  await dialog.waitFor();
  const first = await focusedSoon(page, (f) => f.id === 'report-will_vote');
  assert.equal(first.id, 'report-will_vote', `P opens Fill Report with focus on its first field (it is on ${first.text})`);
  assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), 'focus is inside the dialog');
  await assertVisibleRing(page, 'the report form’s first field');
  await assertNoViolations(page, 'report-dialog', { shots });

  // A switch is set with Space; Tab stays inside the dialog until Submit Report.
  await page.keyboard.press('Space');
  assert.equal(await dialog.getByRole('switch', { name: 'Will vote' }).isChecked(), true, 'Space turns Will vote on');
  await tabTo(page, (f) => f.name === 'Submit Report', { max: 40 });
  assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), 'Tab stayed inside the dialog');
  await assertVisibleRing(page, 'Submit Report');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('region', { name: 'Report' }).getByText(/Will vote/).first().waitFor();
  const back = await eventually(async () => {
    const f = await focused(page);
    return f.name === 'Follow Up' ? f : false;
  }, 'focus to return to Follow Up after the report', 5_000);
  assert.equal(back.name, 'Follow Up');
  await assertVisibleRing(page, 'Follow Up after the report');

  // E archives the open conversation and E again brings it back; focus stays put.
  // The open thread's own buttons: a list row under the pointer or with
  // focus shows its Archive button too.
  const thread = page.getByRole('main');
  await settled();
  await page.keyboard.press('e');
  await thread.getByRole('button', { name: 'Unarchive', exact: true }).waitFor();
  assert.equal((await focused(page)).name, 'Follow Up', 'archiving with E leaves focus where it was');
  await assertVisibleRing(page, 'Follow Up after archiving');
  await page.keyboard.press('e');
  await thread.getByRole('button', { name: 'Archive', exact: true }).waitFor();
  assert.equal((await focused(page)).name, 'Follow Up', 'unarchiving with E leaves focus where it was');
}
