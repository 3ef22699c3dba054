// A volunteer in two campaigns: the tray and the window's title count
// unread replies in both, so the sidebar names where those of the campaign
// not on screen wait, one click from their Unread.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axe, eventually, filterCount, page, shot } from '../session.mjs';
import { textbankd } from './handoff.mjs';

const NAME = 'School Board 2026';

/** An organizer makes a second campaign from the command line; it is joined by code, texted from, and its replies named from the first. */
export async function secondCampaignUnread() {
  // The example campaign, renamed, texted at any hour, with its contacts and a number.
  const dir = mkdtempSync(join(tmpdir(), 'e2e-campaign-'));
  const example = (f) => readFileSync(new URL(`../../examples/${f}`, import.meta.url), 'utf8');
  const file = join(dir, 'campaign.yaml');
  writeFileSync(file, example('campaign.yaml').replace('name: Springfield GOTV 2026', `name: ${NAME}`)
    .replace('start: "09:00"', 'start: "00:00"').replace('end: "21:00"', 'end: "24:00"'));
  writeFileSync(join(dir, 'contacts.csv'), example('contacts.csv'));
  textbankd(['users', 'add', 'orla@springfieldvotes.org', '--name', 'Orla'], 'correct horse battery\n');
  const created = JSON.parse(textbankd(['campaign', 'create', file, '--json']));
  textbankd(['contacts', 'import', '--action', created.actions[0].id, join(dir, 'contacts.csv')]);
  textbankd(['numbers', 'add', '--campaign', created.joinCode, '+12175550190']);

  const first = page.url().match(/\/c\/([^/?#]+)/)?.[1];
  assert.ok(first, `a campaign on screen (${page.url()})`);
  await page.getByRole('button', { name: 'Join another campaign' }).click();
  await page.getByLabel('Join code').fill(created.joinCode);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await eventually(async () => (page.url().match(/\/c\/([^/?#]+)/)?.[1] ?? first) !== first, `${NAME} on screen`);
  await page.getByRole('button', { name: /Get Out The Vote/ }).first().click();
  await page.getByRole('button', { name: 'Start' }).click();
  // A few texts: some of the simulated contacts never answer.
  const send = page.getByRole('button', { name: 'Send', exact: true });
  for (let i = 0; i < 5 && (await send.isEnabled().catch(() => false)); i++) {
    const who = await page.getByTestId('recipient-name').innerText();
    await send.click();
    await eventually(async () => (await page.getByTestId('recipient-name').innerText().catch(() => '')) !== who, 'the next contact');
  }
  const second = page.url().match(/\/c\/([^/?#]+)/)[1];
  assert.notEqual(second, first, 'the joined campaign is on screen');
  await eventually(async () => (await filterCount('Unread')()) > 0, `a reply in ${NAME}`, 90_000);

  // Back in the first campaign, the sidebar says where the replies wait. The switcher's open menu
  // passes axe, and its screenshots are docs/design's switcher-*.png.
  await switchTo(first, 'campaign-switcher');
  const elsewhere = page.getByRole('button', { name: new RegExp(`^\\d+ unread repl(y|ies) in ${NAME}$`) });
  await elsewhere.waitFor();
  await axe('other-campaign-unread');
  await shot('other-campaign-unread');
  await elsewhere.click();
  await eventually(async () => page.url().includes(`/c/${second}?filter=unread`), `${NAME}'s Unread`);
  await eventually(async () => (await page.getByTestId('thread-row').count()) > 0, `${NAME}'s unread conversations listed`);
  assert.equal(await elsewhere.count(), 0, 'no line for the campaign on screen');
  // Leave the window in the first campaign, as the flows before left it.
  await switchTo(first);
}

/**
 * The first campaign again, through the switcher's menu (a menu button: a pick switches, an arrow
 * key only moves): with two campaigns, the one not checked. screen: axe's name for the open menu.
 */
async function switchTo(id, screen) {
  await page.getByRole('button', { name: /^Switch campaign/ }).click();
  const menu = page.getByRole('menu', { name: 'Campaigns' });
  if (screen) {
    // The campaign on screen has focus (and the ring) when the menu opens.
    await eventually(() => menu.getByRole('menuitemradio', { checked: true }).evaluate((el) => el === document.activeElement), 'focus on the checked campaign');
    await axe(screen);
  }
  await menu.getByRole('menuitemradio', { checked: false }).click();
  await eventually(async () => page.url().includes(`/c/${id}`), 'the first campaign on screen');
}
