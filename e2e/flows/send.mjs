// Joining the demo campaign and texting a batch, by keyboard alone: the join
// code, the action and its intro, Send and Enter through the batch, Text
// Again. Then the intro's texting rules, on a later visit.
import assert from 'node:assert/strict';
import { assertVisibleRing, focused, tabTo } from '../a11y.mjs';
import { APP_URL, assertFocusKept, axe, eventually, filterCount, page, shot } from '../session.mjs';

// Everyone texted in the first flow, for the later ones to look for.
export const texted = [];

/** Steps 2-4 of the volunteer's path, from the join screen to a second batch on the send screen. */
export async function joinAndSendBatch() {
  await page.goto(APP_URL);

  // Step 2: a wrong code is refused with a clear message, the right one joins.
  const code = page.getByLabel('Join code');
  await code.waitFor({ timeout: 60_000 });
  await axe('join');
  await code.fill('999999');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: '999999' }).waitFor();
  // From here on the keyboard alone: type the code, Enter.
  await code.fill('');
  await code.focus();
  await page.keyboard.type('123456');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
  const afterJoin = await assertFocusKept('after joining');
  assert.equal(afterJoin.name, 'Inbox', `after joining, focus is on the inbox's heading (it is on ${afterJoin.text})`);
  await eventually(async () => (await filterCount('All')()) >= 0 && page.getByRole('button', { name: /Get Out The Vote/ }).first().isVisible(), 'the actions');
  await axe('inbox-empty');

  // Step 3: the action, its description and instructions, Start.
  await tabTo(page, (f) => /Get Out The Vote/.test(f.name), { back: true });
  await page.keyboard.press('Enter');
  await page.getByText(/instructions/i).first().waitFor();
  await axe('action-intro');
  assert.equal((await assertFocusKept('on the action intro')).name, 'Start', 'the intro puts focus on Start');
  await page.keyboard.press('Enter');

  // Step 4: the recipient's name, the rendered script, the count; Send and Enter.
  const send = page.getByRole('button', { name: 'Send', exact: true });
  await send.waitFor();
  assert.equal((await assertFocusKept('on the send screen')).name, 'Send', 'the send screen puts focus on Send');
  await axe('send');
  const left = async () => Number((await page.getByText(/\d+ left/).first().innerText()).match(/(\d+) left/)[1]);
  const before = await left();
  assert.ok(before > 0, 'the batch has contacts');
  const firstName = await page.getByTestId('recipient-name').innerText();
  texted.push(firstName);
  await assertVisibleRing(page, 'the Send button');
  // Stop for now stands apart from what it does, as Send does from "or press Enter" (it was 5 px).
  const gap = await page.evaluate(() => {
    const stop = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Stop for now');
    return document.getElementById('stop-hint').getBoundingClientRect().left - stop.getBoundingClientRect().right;
  });
  assert.ok(gap >= 12, `Stop for now and its words are ${gap}px apart`);
  await page.keyboard.press('Enter');
  await eventually(async () => (await page.getByTestId('recipient-name').innerText()) !== firstName, 'the next contact');
  assert.equal(await left(), before - 1);
  // A screen reader hears the next contact and the count left, politely.
  const nextName = await page.getByTestId('recipient-name').innerText();
  const said = page.getByTestId('send-announcement');
  assert.equal(await said.getAttribute('aria-live'), 'polite');
  await eventually(async () => {
    const text = await said.innerText();
    return text.includes(nextName) && text.includes(`${before - 1} left`);
  }, `"${nextName}" and "${before - 1} left" to be announced`);
  assert.equal((await assertFocusKept('after Send')).name, 'Send', 'Send keeps focus for the next contact');
  texted.push(await page.getByTestId('recipient-name').innerText());
  await page.keyboard.press('Enter');
  await eventually(async () => (await left()) === before - 2, 'Enter to send');
  // Enter held on Send: the key repeats (keydowns with repeat set, as a held key sends them);
  // one press sends one text, not one per repeat (it sent 5 in 160 ms).
  let sent = 2;
  if (before - sent >= 2) {
    texted.push(await page.getByTestId('recipient-name').innerText());
    await page.keyboard.down('Enter');
    for (let r = 0; r < 5; r++) {
      await page.waitForTimeout(35);
      await page.keyboard.down('Enter'); // already down: Playwright sends it as a repeat
    }
    await page.keyboard.up('Enter');
    sent += 1;
    await eventually(async () => (await left()) === before - sent, 'a held Enter to send');
    await page.waitForTimeout(1000);
    assert.equal(await left(), before - sent, 'holding Enter on Send sends one text, not one per key-repeat');
    assert.equal((await focused(page)).name, 'Send', 'Send keeps focus after a held Enter');
  }
  // The rest of the batch by keyboard too: focus stays on Send, Enter sends.
  for (let i = sent; i < before; i++) {
    texted.push(await page.getByTestId('recipient-name').innerText());
    await page.keyboard.press('Enter');
    if (i < before - 1) await eventually(async () => (await left()) === before - i - 1, 'Enter to send the next');
  }

  // The batch is done: Text Again brings more.
  // Enter on it while the last send is still going would do nothing (it is disabled until then).
  const again = page.getByRole('button', { name: 'Text Again' });
  await again.waitFor();
  await eventually(() => again.isEnabled(), 'Text Again to be enabled');
  await tabTo(page, (f) => f.name === 'Text Again');
  await assertVisibleRing(page, 'Text Again');
  await page.keyboard.press('Enter');
  await send.waitFor();
  assert.ok((await left()) > 0, 'Text Again assigned more contacts');
  await shot('send');
}

/** The action intro shows the texting hours and the batch size. */
export async function actionIntroRules() {
  await page.getByRole('button', { name: /Get Out The Vote/ }).first().click();
  const facts = page.getByRole('list', { name: 'Texting rules' });
  await facts.waitFor();
  // The demo action texts all day, in batches of 10.
  assert.match(await facts.innerText(), /Texting hours: any time/);
  assert.match(await facts.innerText(), /Batch size: 10 contacts/);
  // The instructions name the conversation's buttons by the words on them
  // (they once said "Block them", for the button that reads Report abuse).
  const instructions = await page.getByRole('main').innerText();
  for (const button of ['Follow Up', 'Fill Report', 'Report abuse', 'Reassign Conversation']) {
    assert.ok(instructions.includes(button), `the instructions name ${button}`);
  }
  await shot('action-intro');
  await allDoneOnTheActionPage();
}

/**
 * An action with no one left to text says All done on its page, in the place
 * of Start: the demo's Broadcast has three people still to get its
 * announcement, texted here first.
 */
async function allDoneOnTheActionPage() {
  const action = page.getByRole('button', { name: /Early Voting Opens/ }).first();
  await action.click();
  await page.getByRole('button', { name: 'Start' }).click();
  const send = page.getByRole('button', { name: 'Send', exact: true });
  const done = page.getByRole('heading', { name: 'All done' });
  await eventually(async () => {
    if ((await done.count()) > 0) return true;
    if ((await send.count()) > 0 && (await send.isEnabled())) await send.click();
    return false;
  }, 'everyone in Early Voting Opens texted', 60_000);
  await action.click();
  await page.getByText('No one is left to text in this action.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Start' }).count(), 0, 'no Start when no one is left');
  await page.getByRole('button', { name: 'Text Again' }).waitFor();
  await axe('action-all-done');
  await page.getByRole('button', { name: 'Back to the inbox' }).click();
}
