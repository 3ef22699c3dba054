// The smallest window the app allows (main.go: 640x560), and a window snapped to
// half of a 1366x768 laptop screen with the system's text at 150% (683x768,
// a 24 px default font): every screen a volunteer uses keeps to the window's
// width, and the step it is there for (Send, Start, a dialog's buttons) is in
// view and is what a click there reaches. A page of its own beside the flows'
// page (the same app, signed in as the volunteer), its errors guarded.
import assert from 'node:assert/strict';
import { APP_URL, SHOTS, browser, guard } from '../session.mjs';

/** Nothing is wider than the window: the document, and the body, do not scroll sideways. */
export async function assertNoSidewaysScroll(p, where) {
  const w = await p.evaluate(() => ({
    doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, client: document.documentElement.clientWidth,
  }));
  assert.ok(w.doc <= w.client + 1 && w.body <= w.client + 1, `${where}: the page is ${w.doc}px (body ${w.body}px) wide in a ${w.client}px window`);
}

/** The control is inside the window and on top at its centre: a click there reaches it, with no scrolling. */
export async function assertInView(p, control, where) {
  const r = await control.evaluate((el) => {
    const b = el.getBoundingClientRect();
    const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
    return { top: b.top, bottom: b.bottom, left: b.left, right: b.right, w: innerWidth, h: innerHeight, onTop: !!hit && el.contains(hit) };
  });
  const inside = r.top >= -0.5 && r.left >= -0.5 && r.bottom <= r.h + 0.5 && r.right <= r.w + 0.5;
  assert.ok(inside, `${where}: in the window (${Math.round(r.left)},${Math.round(r.top)}-${Math.round(r.right)},${Math.round(r.bottom)} in ${r.w}x${r.h})`);
  assert.ok(r.onTop, `${where}: nothing covers it`);
}

/** Screenshots p as it is, in the light and the dark scheme (docs/design's pictures of these sizes). */
async function shoot(p, name) {
  for (const scheme of ['light', 'dark']) {
    await p.emulateMedia({ colorScheme: scheme });
    await p.screenshot({ path: `${SHOTS}${name}-${scheme}.png` });
  }
  await p.emulateMedia({ colorScheme: 'light' });
}

/** The screens of a volunteer's work in a page of the given size and default font. */
async function walkScreens(p, tag) {
  const main = p.getByRole('main');
  await p.goto(APP_URL);
  await p.getByTestId('thread-row').first().waitFor({ timeout: 60_000 });
  await assertNoSidewaysScroll(p, `${tag}: the inbox`);

  // A conversation: the name whole, Send in view (the conversation scrolls above the reply area).
  await p.getByTestId('thread-row').first().locator('.thread-open').click();
  const name = p.locator('#thread-contact');
  await name.waitFor();
  assert.ok(await name.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), `${tag}: the contact's name is not cut`);
  await assertNoSidewaysScroll(p, `${tag}: a conversation`);
  const send = main.getByRole('button', { name: 'Send', exact: true });
  if (await send.count()) {
    await assertInView(p, send, `${tag}: a conversation's Send`);
    await assertInView(p, main.getByRole('button', { name: 'Follow Up', exact: true }), `${tag}: Follow Up`);
  }
  await shoot(p, `${tag}-thread`);
  // Fill Report, the longest dialog: its buttons in view.
  await p.getByRole('button', { name: 'Fill Report' }).click();
  const dialog = p.getByRole('dialog');
  await dialog.waitFor();
  await assertInView(p, dialog.getByRole('button', { name: 'Submit Report' }), `${tag}: Submit Report`);
  await assertInView(p, dialog.getByRole('button', { name: 'Cancel' }), `${tag}: the report's Cancel`);
  await assertNoSidewaysScroll(p, `${tag}: Fill Report`);
  await p.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  // The action's page, then the send screen: Start, then Send, in view.
  const menu = p.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await p.getByRole('button', { name: /Get Out The Vote/ }).first().click();
  const start = p.getByRole('button', { name: 'Start' });
  await start.waitFor();
  await assertInView(p, start, `${tag}: Start`);
  await assertNoSidewaysScroll(p, `${tag}: the action's page`);
  await start.click();
  const next = p.getByRole('button', { name: /^(Send|Back to the inbox)$/ }).first();
  await next.waitFor();
  await assertInView(p, next, `${tag}: the send screen's ${await next.innerText()}`);
  await assertNoSidewaysScroll(p, `${tag}: the send screen`);
  await shoot(p, `${tag}-send`);

  for (const [button, heading] of [['Outbox', 'Outbox'], ['Settings', 'Settings']]) {
    await p.getByRole('button', { name: button, exact: true }).click();
    await p.getByRole('heading', { level: 1, name: heading }).waitFor();
    await assertNoSidewaysScroll(p, `${tag}: ${heading}`);
  }
  await p.getByRole('button', { name: 'Back', exact: true }).click();
}

/** The smallest window, then half a laptop's screen at 150% text. */
export async function halfScreenAndLargeText() {
  for (const [tag, width, height, font] of [['min640x560', 640, 560, 16], ['half683x768-150', 683, 768, 24]]) {
    const p = await browser.newPage({ viewport: { width, height } });
    guard(p, tag);
    try {
      if (font !== 16) await (await p.context().newCDPSession(p)).send('Page.setFontSizes', { fontSizes: { standard: font } });
      await walkScreens(p, tag);
    } finally {
      await p.close();
    }
  }
}

/**
 * The organizer's Admin section in the smallest window: the page and each
 * section its index jumps to keep to the window's width (the Results tables
 * scroll sideways in their own box, never the window).
 */
export async function adminAtTheSmallestWindow() {
  const p = await browser.newPage({ viewport: { width: 640, height: 560 } });
  guard(p, 'admin at 640x560');
  try {
    await p.goto(APP_URL);
    await p.getByRole('button', { name: 'Menu' }).click();
    await p.getByRole('button', { name: 'Admin', exact: true }).click();
    await p.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    await assertNoSidewaysScroll(p, 'Admin at 640x560');
    const index = p.getByRole('navigation', { name: 'Admin sections' });
    const sections = ['Reassigned to me', 'Reports of abuse', 'Unroutable texts', 'Opt-ins', 'Opt-outs', 'Results'];
    const jumpTo = (section) => index.getByRole('button', { name: new RegExp(`^${section}`) });
    // The whole index on the first screen, each entry uncovered.
    for (const section of sections) await assertInView(p, jumpTo(section), `Admin at 640x560: ${section} in the index`);
    for (const section of sections) {
      await jumpTo(section).scrollIntoViewIfNeeded();
      await jumpTo(section).click();
      await assertNoSidewaysScroll(p, `Admin at 640x560: ${section}`);
    }
    await p.screenshot({ path: `${SHOTS}min640x560-admin.png` });
  } finally {
    await p.close();
  }
}
