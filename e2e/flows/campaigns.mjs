// Two campaigns: the tray and the window's title count unread replies in
// both, so the sidebar names where those of the campaign not on screen
// wait, one click from their Unread, on one line (a long name cut in its
// middle), and says when that campaign is archived.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axe, eventually, filterCount, page, shot } from '../session.mjs';
import { assertSidebarFits, textbankd } from './handoff.mjs';

// Long: its line of unread replies would wrap in the sidebar, which then scrolled (by 23 px at 1200x704).
const NAME = 'Springfield School Board Election 2026, Parents and Teachers Together';

/**
 * An organizer makes a second campaign from the command line; the demo's organizer joins it by
 * code, texts from it, and finds its replies named from the first (where they organize); then the
 * demo's volunteer does the same. Each one's sidebar fits. Archived, the campaign says so there
 * and in the narrow window's top bar. The window is left in the volunteer's first campaign.
 */
export async function secondCampaignUnread() {
  // The example campaign, renamed, texted at any hour, in batches of 5 (two people text its 10
  // contacts), with its contacts and a number.
  const dir = mkdtempSync(join(tmpdir(), 'e2e-campaign-'));
  const example = (f) => readFileSync(new URL(`../../examples/${f}`, import.meta.url), 'utf8');
  const file = join(dir, 'campaign.yaml');
  writeFileSync(file, example('campaign.yaml').replace('name: Springfield GOTV 2026', `name: ${NAME}`)
    .replace('start: "09:00"', 'start: "00:00"').replace('end: "21:00"', 'end: "24:00"').replace('batch_size: 100', 'batch_size: 5'));
  writeFileSync(join(dir, 'contacts.csv'), example('contacts.csv'));
  textbankd(['users', 'add', 'orla@springfieldvotes.org', '--name', 'Orla'], 'correct horse battery\n');
  const created = JSON.parse(textbankd(['campaign', 'create', file, '--json']));
  textbankd(['contacts', 'import', '--action', created.actions[0].id, join(dir, 'contacts.csv')]);
  textbankd(['numbers', 'add', '--campaign', created.joinCode, '+12175550190']);

  const { first, second } = await joinAndText(created.joinCode);
  // Back in the first campaign, the sidebar says where the replies wait. The switcher's open menu
  // passes axe, and its screenshots are docs/design's switcher-*.png.
  await switchTo(first, 'campaign-switcher');
  const elsewhere = unreadLine();
  await elsewhere.waitFor();
  await axe('other-campaign-unread');
  await shot('other-campaign-unread');
  await assertOneLine(elsewhere);
  await assertSidebarFits('the organizer in two campaigns’');
  await elsewhere.click();
  await eventually(async () => page.url().includes(`/c/${second}?filter=unread`), `${NAME}'s Unread`);
  await eventually(async () => (await page.getByTestId('thread-row').count()) > 0, `${NAME}'s unread conversations listed`);
  assert.equal(await elsewhere.count(), 0, 'no line for the campaign on screen');

  // The demo's volunteer joins it too, in their first campaign after.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').fill('demo@textbank.local');
  await page.getByLabel('Password').fill('textbank-demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: /Get Out The Vote/ }).first().waitFor();
  const dana = await joinAndText(created.joinCode);
  await switchTo(dana.first);
  await elsewhere.waitFor();
  await assertOneLine(elsewhere);
  await assertSidebarFits('the volunteer in two campaigns’');

  await archivedCampaign(created.joinCode, dana.second);
  // Leave the window in the first campaign, as the flows before left it.
  await switchTo(dana.first);
}

/** The line under the switcher for the campaign's unread replies (named whole for screen readers). */
const unreadLine = (archived = '') => page.getByRole('button', { name: new RegExp(`^\\d+ unread repl(y|ies) in ${NAME}${archived}$`) });

/** Joins the campaign by code, sends a few texts in it and waits for a reply; the campaigns' ids in the address. */
async function joinAndText(code) {
  const first = page.url().match(/\/c\/([^/?#]+)/)?.[1];
  assert.ok(first, `a campaign on screen (${page.url()})`);
  await page.getByRole('button', { name: 'Join another campaign' }).click();
  await page.getByLabel('Join code').fill(code);
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
  return { first, second };
}

/** The line of unread replies keeps to one line, nothing in it cut off at its end, its name whole in the tooltip. */
async function assertOneLine(line) {
  const got = await line.evaluate((el) => {
    const style = getComputedStyle(el);
    return {
      content: el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom),
      fontSize: parseFloat(style.fontSize),
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
      title: el.closest('[title]')?.getAttribute('title'),
    };
  });
  // One line is about 1.2 font sizes high; a wrapped one, two lines, 2.4.
  assert.ok(got.content < 2 * got.fontSize, `the line of unread replies is one line (${JSON.stringify(got)})`);
  assert.ok(got.scrollWidth <= got.clientWidth + 1, `nothing of the line is cut off at its end (${JSON.stringify(got)})`);
  assert.equal(got.title, NAME, 'the cut name is whole in the tooltip');
}

/**
 * Archived from the command line, the campaign says so on its line of unread replies, and, on
 * screen in a narrow and a medium window, in the top bar: Archived seen whole, beside the name and
 * the filter, overlapping neither (screenshots light and dark).
 */
async function archivedCampaign(code, id) {
  textbankd(['campaign', 'archive', code, '--yes']);
  const line = unreadLine(', archived');
  await line.waitFor();
  assert.ok(await line.getByText('Archived', { exact: true }).isVisible(), 'the line shows Archived');
  await line.click();
  await eventually(async () => page.url().includes(`/c/${id}?filter=unread`), `${NAME}'s Unread`);
  try {
    for (const [width, height] of [[640, 800], [900, 560]]) {
      await page.setViewportSize({ width, height });
      const bar = page.getByRole('banner');
      await bar.getByText('Archived', { exact: true }).waitFor();
      const boxes = await bar.evaluate((el) => {
        const box = (q) => {
          const r = el.querySelector(q)?.getBoundingClientRect();
          return r && { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width };
        };
        const r = el.getBoundingClientRect();
        return { bar: { left: r.left, right: r.right }, name: box('.middle-cut'), badge: box('.archived-badge'), filter: box('.topbar-filter') };
      });
      const { bar: b, name, badge, filter } = boxes;
      const at = `at ${width}x${height}: ${JSON.stringify(boxes)}`;
      assert.ok(badge && badge.width > 0 && badge.left >= b.left && badge.right <= b.right + 0.5, `Archived within the top bar ${at}`);
      assert.ok(name.right <= badge.left + 0.5, `the name ends before Archived ${at}`);
      assert.ok(!filter || badge.right <= filter.left + 0.5, `Archived ends before the filter ${at}`);
      await shot(`topbar-archived-${width}`);
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
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
