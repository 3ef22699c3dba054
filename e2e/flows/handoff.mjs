// Handing a conversation on: block a rude contact (a report of abuse),
// Reassign Conversation (and the count Reassign All names), then the demo
// organizer signs in and finds both in the Admin section.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { focusedSoon } from '../a11y.mjs';
import { axe, eventually, openRow, page, rowButton, rowOf, search, shot } from '../session.mjs';
import { optBackIn, reviewAbuseReport } from './reviews.mjs';
import { adminResults } from './results.mjs';

/** Runs an organizer command (textbankd, built by run.sh) on the demo's database, as an organizer beside the app would; input is its stdin. */
export function textbankd(args, input) {
  const tmp = process.env.E2E_DEMO_TMP;
  assert.ok(process.env.E2E_TEXTBANKD && tmp, 'run.sh sets E2E_TEXTBANKD and E2E_DEMO_TMP');
  const demo = readdirSync(tmp).filter((d) => d.startsWith('textbank-demo-'));
  assert.equal(demo.length, 1, `one demo app's directory in ${tmp}`);
  return execFileSync(process.env.E2E_TEXTBANKD, [...args, '--data', `${tmp}/${demo[0]}/server`], { encoding: 'utf8', input });
}

// Long enough to wrap in the smallest window (zoom.mjs checks the layout there).
const REASSIGN_NOTE =
  'Asks about a mail ballot: she moved in March and wants to know whether her old address still counts ' +
  'and where the nearest drop box is.';

// Who was blocked and who reassigned, for the organizer to find.
let blocked = '';
let reassigned = '';

/** Block a rude contact: the thread leaves the inbox. */
export async function blockRudeContact() {
  const rude = /Not interested|another political text|get this number|Mind your own business|Get lost/;
  const who = await openRow('All', rude, 120_000);
  assert.ok(who, 'a rude contact replied');
  await page.getByRole('button', { name: 'Report abuse' }).click();
  const dialog = page.getByRole('dialog', { name: `Report abuse by ${who}` });
  await dialog.getByRole('radio', { name: 'Harassment' }).check();
  await dialog.getByRole('textbox', { name: 'Note (optional)' }).fill('Rude on the first reply');
  await shot('block-dialog');
  await dialog.getByRole('button', { name: 'Block Contact' }).click();
  await dialog.waitFor({ state: 'detached' });
  await search().fill(who);
  await eventually(async () => (await rowOf(who).count()) === 0, `${who} to leave the inbox`);
  await search().fill('');
  blocked = who;
}

/** Reassign Conversation: the thread leaves the inbox; Reassign All names the count first. */
export async function reassignConversation() {
  const who = await openRow('All', /Peer-to-Peer/);
  assert.ok(who, 'a Get Out The Vote thread');
  await page.getByRole('button', { name: 'Reassign Conversation' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reassign Conversation' });
  await dialog.getByText(/to Orla Organizer/).waitFor();
  await dialog.getByRole('textbox', { name: 'Note (optional)' }).fill(REASSIGN_NOTE);
  await shot('reassign-dialog');
  // In a narrow window the list replaces the conversation: where it went is said above the list.
  await page.setViewportSize({ width: 640, height: 800 });
  try {
    await dialog.getByRole('button', { name: 'Reassign', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const done = page.getByRole('status').filter({ hasText: `The conversation with ${who} is now with Orla Organizer.` });
    await done.waitFor();
    // Focus on the notice, so it is read (a status inserted with its words in often is not).
    const onDone = await focusedSoon(page, (f) => f.name.includes('is now with Orla Organizer'));
    assert.ok(onDone.name.includes('is now with Orla Organizer'), `after Reassign, focus is on the notice (it is on ${onDone.text})`);
    assert.ok(await page.getByRole('region', { name: 'Conversations' }).isVisible(), 'the list shows in the narrow window');
    await shot('reassign-narrow-done');
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  await search().fill(who);
  await eventually(async () => (await rowOf(who).count()) === 0, `${who} to leave the inbox`);
  await search().fill('');
  reassigned = who;

  // Reassign All Conversations names the count before anything moves.
  const other = await openRow('All', /Peer-to-Peer/);
  assert.ok(other);
  await page.getByRole('button', { name: 'Reassign All Conversations' }).click();
  const all = page.getByRole('dialog', { name: 'Reassign All Conversations' });
  await all.getByText(/Reassign all \d+ conversations? you hold in Get Out The Vote to Orla Organizer \(created this action\)\?/).waitFor();
  await shot('reassign-all-dialog');
  await all.getByRole('button', { name: 'Cancel' }).click();
  await all.waitFor({ state: 'detached' });
}

/** The demo organizer sees the Admin section (the volunteer does not), with what was blocked and reassigned. */
export async function adminSection() {
  assert.equal(await page.getByRole('button', { name: 'Admin', exact: true }).count(), 0, 'volunteers see no Admin entry');
  await assertSidebarFits("the volunteer's");
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').fill('organizer@textbank.local');
  await page.getByLabel('Password').fill('textbank-demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // The organizer's inbox names whom volunteers are told to ask (a volunteer reads "Questions about the campaign").
  await page.getByText(/^Volunteers with questions are told to ask: Orla Organizer/).waitFor();
  // Its pictures (docs/design's organizer-inbox pair, axe's) once the list
  // is in: the conversation reassigned to her and the demo's opt-in.
  await rowButton(reassigned).waitFor();
  await rowButton('Ida Wells').waitFor();
  await axe('organizer-inbox');
  await page.getByRole('button', { name: 'Admin', exact: true }).click();
  await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
  const mine = page.getByRole('region', { name: /^Reassigned to me/ });
  await eventually(async () => (await mine.getByText(reassigned).count()) > 0, `${reassigned} among the conversations reassigned to the organizer`, 60_000);
  assert.match(await mine.innerText(), /From Dana Volunteer: Asks about a mail ballot/);
  const abuse = page.getByRole('region', { name: /^Reports of abuse/ });
  await eventually(async () => (await abuse.getByText(blocked).count()) > 0, `the report on ${blocked}`, 60_000);
  assert.match(await abuse.innerText(), /Harassment/);
  // The blocked conversation is read whole from its report: the volunteer's first text, then the contact's.
  await abuse.getByText('Read the conversation').first().click();
  const exchange = abuse.getByRole('list', { name: `Conversation with ${blocked}` });
  await exchange.getByRole('listitem').first().waitFor();
  assert.match(await exchange.innerText(), new RegExp(`Dana Volunteer: [\\s\\S]*${blocked}: `), 'the whole exchange, each text by its sender');
  // The Admin section, its exchange open, passes axe in both schemes.
  await axe('admin');
  await abuse.getByText('Read the conversation').first().click();
  await page.getByRole('region', { name: /^Unroutable texts/ }).waitFor();
  // The demo's opt-in: a START from a contact who had texted STOP, in the organizer's own conversation.
  const optIns = page.getByRole('region', { name: /^Opt-ins/ });
  await optIns.getByText(/Ida Wells/).waitFor();
  assert.match(await optIns.innerText(), /Ida Wells: “START”[\s\S]*Still opted out/);
  // The demo's opt-outs: Ida Wells's STOP, which only her START lifts (no Undo Opt Out).
  const optOuts = page.getByRole('region', { name: /^Opt-outs/ });
  await optOuts.getByText('Ida Wells', { exact: true }).first().waitFor();
  assert.match(await optOuts.innerText(), /Ida Wells[\s\S]*The contact asked to stop[\s\S]*Cannot be undone here/);
  // The organizer's sidebar (one more entry: Admin) fits as well.
  await assertSidebarFits("the organizer's");
  await shot('admin');
  await adminResults();
  await unroutableDetails();
  await optInConversation();
  await reviewAbuseReport(blocked);
  await optBackIn();
  // The reassigned thread opens from there and says who handed it over.
  await mine.getByRole('button', { name: reassigned }).click();
  await page.getByText(/Reassigned to you by Dana Volunteer: Asks about a mail ballot/).waitFor();
  // The first text is Dana's, not the organizer's: named under it, and read out as hers.
  const first = page.getByRole('list', { name: 'Messages' }).getByRole('listitem').first();
  assert.match(await first.innerText(), /^Dana Volunteer:[\s\S]*Dana Volunteer · /, 'the volunteer’s first text is named as hers');
  // The organizer would be offered nobody but themselves (the demo has no other admin): no Reassign
  // buttons that lead nowhere, a line saying so.
  await page.getByText('Nobody to reassign to: you are the only organizer.').waitFor();
  assert.equal(await page.getByRole('button', { name: /^Reassign/ }).count(), 0, 'no Reassign buttons for the only organizer');
  await axe('reassign-only-organizer');
  await shot('reassigned-thread');
}

/** The opt-in's row opens the organizer's conversation with the contact: their STOP, then START, and still opted out. */
async function optInConversation() {
  const optIns = page.getByRole('region', { name: /^Opt-ins/ });
  await optIns.getByRole('button', { name: 'Open the conversation with Ida Wells' }).click();
  await page.getByText('Ida Wells opted out: they will not be texted again.').waitFor();
  const messages = page.getByRole('list', { name: 'Messages' });
  assert.match(await messages.innerText(), /STOP[\s\S]*START/, 'the STOP, then the START');
  // The organizer is told so above the messages too, with Opt Back In (the Admin section does it later).
  await page.getByText(/^Then they texted “START”/).waitFor();
  await page.getByRole('button', { name: 'Opt Back In' }).waitFor();
  await axe('opt-in-conversation');
  await shot('opt-in-conversation');
  await page.getByRole('button', { name: 'Admin', exact: true }).click();
  await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
}

/**
 * The demo's unroutable text (a stranger's) opens its details from the
 * keyboard: the whole text, who sent it, to which number and when; Escape
 * closes them, back on the control that opened them. Marked handled from
 * its dialog, it leaves the list (kept: Show handled lists it, with who and
 * when), and Open Again brings it back.
 */
export async function unroutableDetails() {
  const unroutable = page.getByRole('region', { name: /^Unroutable texts/ });
  const details = unroutable.getByRole('button', { name: 'Show details of the text from (312) 555-0199' });
  await details.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Text from (312) 555-0199' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /\(312\) 555-0199, with no conversation in this campaign[\s\S]*\(202\) 555-0180[\s\S]*Received[\s\S]*library\.[\s\S]*call me back after 6\?/);
  await axe('unroutable-details');
  await shot('unroutable-details');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.ok(await details.evaluate((el) => el === document.activeElement), 'focus is back on Show details');

  await details.click();
  await dialog.getByRole('button', { name: 'Mark Handled: the text from (312) 555-0199' }).click();
  await dialog.waitFor({ state: 'detached' });
  await details.waitFor({ state: 'detached' });
  await unroutable.getByText('1 handled text is hidden.').waitFor();
  const heading = unroutable.getByRole('heading', { name: /^Unroutable texts/ });
  await eventually(async () => heading.evaluate((el) => el === document.activeElement), 'focus on the section heading once the text left');
  await unroutable.getByRole('button', { name: 'Show handled' }).click();
  const handled = unroutable.getByRole('list', { name: 'Handled unroutable texts' });
  await handled.getByText(/call me back after 6\?/).waitFor();
  assert.match(await handled.innerText(), /Handled by Orla Organizer/);
  await axe('unroutable-handled');
  await shot('unroutable-handled');
  await handled.getByRole('button', { name: 'Open Again: the text from (312) 555-0199' }).click();
  await details.waitFor();
  // The last handled text opened again: the handled list closes.
  await unroutable.getByRole('button', { name: 'Hide handled' }).waitFor({ state: 'detached' });
  assert.equal(await unroutable.getByRole('button', { name: /handled/i }).count(), 1, 'only the row’s Mark Handled is left');

  // Marked from the command line while its details are open: the server's
  // feed watcher notices the other process's write within a second and
  // tells the admin's app (an admin event), so the row leaves then, not at
  // the Admin section's half-minute refresh; the dialog stays, saying so,
  // with the text still shown.
  await details.click();
  await dialog.waitFor();
  const texts = JSON.parse(textbankd(['unroutable', '--json'])).filter((u) => u.from === '+13125550199');
  assert.equal(texts.length, 1, 'textbankd unroutable lists the stranger’s text');
  assert.match(textbankd(['unroutable', 'handle', texts[0].id]), /from the command line/);
  await dialog.getByText('This text was marked handled meanwhile, from the command line. It is no longer among the open texts.')
    .waitFor({ timeout: 5_000 });
  await details.waitFor({ state: 'detached' });
  assert.match(await dialog.innerText(), /Handled\s+From the command line[\s\S]*call me back after 6\?/);
  await axe('unroutable-handled-meanwhile');
  await shot('unroutable-handled-meanwhile');
  // Opened again from the dialog, it is back among the open texts.
  await dialog.getByRole('button', { name: 'Open Again: the text from (312) 555-0199' }).click();
  await dialog.waitFor({ state: 'detached' });
  await details.waitFor();
}

/**
 * The sidebar's campaign, actions and filters fit without scrolling, and the last filter
 * (Canvassing) ends above Automatic archive in the foot, in a 1280x800 window, the app's own
 * default, 1200x780 (main.go), and that window on a 1280x800 screen with a taskbar, 1200x704
 * (where shell.css tightens the sidebar's spacing); the window is 1280x800 after.
 */
export async function assertSidebarFits(whose) {
  try {
    for (const [width, height] of [[1200, 704], [1200, 780], [1280, 800]]) {
      await page.setViewportSize({ width, height });
      const side = await page.evaluate(() => {
        const scroll = document.querySelector('.sidebar-scroll');
        const last = [...document.querySelectorAll('.sidebar .filter')].at(-1);
        const foot = document.querySelector('.sidebar-foot');
        return {
          scrollHeight: scroll.scrollHeight, clientHeight: scroll.clientHeight,
          lastBottom: last.getBoundingClientRect().bottom, footTop: foot.getBoundingClientRect().top,
        };
      });
      assert.ok(side.scrollHeight <= side.clientHeight + 1, `${whose} sidebar fits at ${width}x${height} (${side.scrollHeight}px in ${side.clientHeight}px)`);
      assert.ok(side.lastBottom <= side.footTop + 0.5, `Canvassing (bottom ${side.lastBottom}) ends above Automatic archive (top ${side.footTop}) at ${width}x${height}`);
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
}
