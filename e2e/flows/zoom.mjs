// The layout at 200% zoom, at twice the default font size and in the smallest
// window, each in a page of its own beside the flows' page (the same app,
// already signed in), its errors guarded as the flows' page is.
import assert from 'node:assert/strict';
import { assertNoViolations } from '../a11y.mjs';
import { APP_URL, SHOTS, browser, eventually, guard, page } from '../session.mjs';
import { assertRowArchiveCoversNothing } from './inbox.mjs';

/** Nothing is wider than the window: no sideways scrolling, nothing cut off. */
async function assertNoSidewaysScroll(p, where) {
  const { scroll, client } = await p.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client + 1, `${where}: the page is ${scroll}px wide in a ${client}px window`);
}

/**
 * Menu opens the sidebar beside Menu, never under it: the two boxes do not
 * meet, Menu is what a click at its centre reaches, and the sidebar's first
 * line (the wordmark) is in view below the bar. Esc folds it again.
 */
async function assertMenuClearOfSidebar(p, where) {
  const menu = p.getByRole('button', { name: 'Menu' });
  await menu.click();
  await p.locator('#sidebar').waitFor();
  const r = await p.evaluate(() => {
    const m = document.querySelector('.topbar button').getBoundingClientRect();
    const s = document.getElementById('sidebar').getBoundingClientRect();
    const w = document.querySelector('#sidebar .wordmark').getBoundingClientRect();
    const c = m.left + m.width / 2;
    const hit = document.elementFromPoint(c, m.top + m.height / 2);
    return {
      meet: Math.min(m.right, s.right) - Math.max(m.left, s.left) > 0.5 && Math.min(m.bottom, s.bottom) - Math.max(m.top, s.top) > 0.5,
      onTop: hit === document.querySelector('.topbar button'),
      wordmark: w.top >= m.bottom && w.bottom <= window.innerHeight,
    };
  });
  assert.ok(!r.meet, `${where}: the sidebar does not reach under Menu`);
  assert.ok(r.onTop, `${where}: Menu is on top at its centre`);
  assert.ok(r.wordmark, `${where}: the sidebar's top is in view below the bar`);
  await p.keyboard.press('Escape');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false', `${where}: Esc folds the sidebar`);
}

/** The visible width of the first element matching selector. */
const widthOf = (p, selector) => p.locator(selector).first().evaluate((el) => el.getBoundingClientRect().width);

/** At 200% zoom every main screen keeps its width; with a larger font, rows grow instead of overlapping. */
export async function zoomAndLargeFont() {
  // 200% zoom of the 1280x800 window is a 640x400 CSS-pixel viewport at twice the pixel density.
  const zoomed = await browser.newPage({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
  guard(zoomed, '200% zoom');
  try {
    await zoomed.goto(APP_URL);
    const list = zoomed.getByRole('region', { name: 'Conversations' });
    await zoomed.getByTestId('thread-row').first().waitFor({ timeout: 60_000 });
    assert.ok((await widthOf(zoomed, '.thread-list')) >= 600, 'the conversation list takes the window');
    await assertNoSidewaysScroll(zoomed, 'inbox at 200%');
    await zoomed.screenshot({ path: `${SHOTS}zoom200-inbox.png` });

    await zoomed.getByTestId('thread-row').first().locator('.thread-open').click();
    await zoomed.locator('.thread h1').waitFor();
    assert.ok((await widthOf(zoomed, '.main-pane')) >= 600, 'the open conversation takes the window');
    assert.ok(!(await list.isVisible()), 'the list gives way to the conversation');
    await assertNoSidewaysScroll(zoomed, 'thread at 200%');
    await zoomed.screenshot({ path: `${SHOTS}zoom200-thread.png` });
    await zoomed.getByRole('button', { name: 'Back', exact: true }).click();
    await list.waitFor();

    // The sidebar is behind Menu: the actions, then the send screen.
    await zoomed.getByRole('button', { name: 'Menu' }).click();
    await zoomed.getByRole('button', { name: /Get Out The Vote/ }).first().click();
    await zoomed.getByRole('button', { name: 'Start' }).waitFor();
    assert.ok((await widthOf(zoomed, '.main-pane')) >= 600, 'the action intro takes the window');
    await assertNoSidewaysScroll(zoomed, 'action intro at 200%');
    await zoomed.screenshot({ path: `${SHOTS}zoom200-intro.png` });
    await zoomed.getByRole('button', { name: 'Start' }).click();
    await zoomed.getByRole('button', { name: /^(Send|Text Again|Skip)$/ }).first().waitFor();
    await assertNoSidewaysScroll(zoomed, 'send at 200%');
    await zoomed.screenshot({ path: `${SHOTS}zoom200-send.png` });

    await zoomed.getByRole('button', { name: 'Outbox', exact: true }).click();
    await zoomed.getByRole('heading', { name: 'Outbox' }).waitFor();
    assert.ok((await widthOf(zoomed, '.main-pane')) >= 600, 'the outbox takes the window');
    await assertNoSidewaysScroll(zoomed, 'outbox at 200%');
    await zoomed.getByRole('button', { name: 'Settings', exact: true }).click();
    await zoomed.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await assertNoSidewaysScroll(zoomed, 'settings at 200%');
    await zoomed.screenshot({ path: `${SHOTS}zoom200-settings.png` });
  } finally {
    await zoomed.close();
  }

  // The volunteer's own default font size (32px, twice the usual) is respected, and rows grow with it.
  const big = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  guard(big, '32px font');
  try {
    const cdp = await big.context().newCDPSession(big);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32 } });
    await big.goto(APP_URL);
    await big.getByTestId('thread-row').nth(3).waitFor({ timeout: 60_000 });
    const bodyPx = await big.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(bodyPx >= 29, `body text follows the default font size (${bodyPx}px)`);
    const rows = await big.getByTestId('thread-row').evaluateAll((els) =>
      els
        .map((el) => {
          const r = el.getBoundingClientRect();
          const b = el.querySelector('.thread-open');
          return { top: r.top, bottom: r.bottom, fits: b.scrollHeight <= b.clientHeight + 1 && b.getBoundingClientRect().bottom <= r.bottom + 1 };
        })
        .sort((x, y) => x.top - y.top),
    );
    for (let i = 1; i < rows.length; i++) {
      assert.ok(rows[i - 1].bottom <= rows[i].top + 1, `row ${i - 1} (bottom ${rows[i - 1].bottom}) overlaps row ${i} (top ${rows[i].top})`);
    }
    assert.ok(rows.every((r) => r.fits), 'every row holds its text');
    await assertNoSidewaysScroll(big, 'inbox with a 32px font');
    await big.screenshot({ path: `${SHOTS}bigfont-inbox.png` });
  } finally {
    await big.close();
  }

  // The app's own Text size folds the layout as a narrower window would: 200% of a 1280px window is
  // one column, the open conversation the whole width and Sign out in view.
  const sized = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  guard(sized, 'Text size 200%');
  const setTextSize = async (percent) => {
    await sized.getByRole('button', { name: 'Settings', exact: true }).click();
    await sized.getByLabel('Text size').selectOption(String(percent));
    await eventually(
      async () => (await sized.evaluate(() => document.documentElement.style.fontSize)) === `${percent}%`,
      `the text size to become ${percent}%`,
    );
    await sized.getByRole('button', { name: 'Back', exact: true }).click();
  };
  try {
    await sized.goto(APP_URL);
    await sized.getByTestId('thread-row').first().waitFor({ timeout: 60_000 });
    await setTextSize(200);
    assert.equal(await sized.evaluate(() => document.documentElement.dataset.layout), 'narrow', 'one column at 200% text');
    await sized.getByTestId('thread-row').first().locator('.thread-open').click();
    await sized.locator('.thread h1').waitFor();
    assert.ok((await widthOf(sized, '.main-pane')) >= 1200, 'the open conversation takes the window');
    await assertNoSidewaysScroll(sized, 'thread at 200% text');
    const signOut = await sized.getByRole('button', { name: 'Sign out' }).boundingBox();
    assert.ok(signOut && signOut.x + signOut.width <= 1280 && signOut.y + signOut.height <= 800, `Sign out in view (${JSON.stringify(signOut)})`);
    await sized.screenshot({ path: `${SHOTS}textsize200-thread.png` });
    await sized.getByRole('button', { name: 'Back', exact: true }).click();
  } finally {
    await setTextSize(100).catch(() => {}); // the other flows' page shares the setting
    await sized.close();
  }
}

/** A long report on the open conversation: every field, and Notes of several lines. */
async function fileLongReport(p) {
  await p.getByRole('button', { name: 'Fill Report' }).click();
  const dialog = p.getByRole('dialog', { name: /^Report on / });
  await dialog.waitFor();
  await dialog.getByRole('switch', { name: 'Will vote' }).check();
  await dialog.getByRole('switch', { name: 'Needs a ride' }).check();
  await dialog.getByRole('radio', { name: 'Undecided' }).check();
  await dialog.getByRole('textbox', { name: 'Top issue' }).fill('Mail ballots and where to return them');
  await dialog.getByRole('textbox', { name: 'Voters in household' }).fill('4');
  await dialog.getByRole('textbox', { name: 'Notes' }).fill(LONG_NOTES);
  await dialog.getByRole('button', { name: 'Submit Report' }).click();
  await dialog.waitFor({ state: 'detached' });
  await p.getByRole('region', { name: 'Report' }).locator('dd', { hasText: LONG_NOTES }).waitFor();
}
const LONG_NOTES =
  'Moved in March and is not sure her new address is on the rolls; wants a ride on election day ' +
  'for herself and her father, who uses a wheelchair. Asked twice about drop boxes near the library ' +
  'and whether a ballot mailed on Monday still counts. Call back after 6pm on weekdays.';

/**
 * The conversation pane does not scroll: the header, the notes, the messages
 * (their 7rem at least) and the reply area with Send all fit; the notes
 * give way by scrolling in their own box, which the keyboard can reach.
 */
async function assertPaneFits(p, where) {
  const m = await p.evaluate(() => {
    const pane = document.querySelector('.main-pane');
    const send = [...pane.querySelectorAll('.composer button')].find((b) => b.textContent.trim() === 'Send');
    const notes = document.querySelector('.thread-notes');
    const r = pane.getBoundingClientRect();
    const s = send?.getBoundingClientRect();
    return {
      scroll: pane.scrollHeight, client: pane.clientHeight, paneTop: r.top, paneBottom: r.bottom,
      sendTop: s?.top, sendBottom: s?.bottom,
      messages: document.querySelector('[data-testid="message-list"]').getBoundingClientRect().height,
      notes: notes && { scroll: notes.scrollHeight, client: notes.clientHeight, tabbable: notes.tabIndex >= 0 },
    };
  });
  console.log(`900x560, ${where}: pane ${m.scroll}px in ${m.client}px, messages ${m.messages}px, notes ${m.notes ? `${m.notes.scroll}px in ${m.notes.client}px` : 'none'}`);
  assert.ok(m.scroll <= m.client + 1, `${where}: the conversation pane scrolls (${m.scroll}px in ${m.client}px)`);
  assert.ok(m.sendTop !== undefined && m.sendTop >= m.paneTop - 0.5 && m.sendBottom <= m.paneBottom + 0.5,
    `${where}: Send is in view (${m.sendTop}-${m.sendBottom}px, the pane ${m.paneTop}-${m.paneBottom}px)`);
  assert.ok(m.messages >= 111.5, `${where}: the messages keep their 7rem (${m.messages}px)`);
  if (m.notes && m.notes.scroll > m.notes.client + 1) assert.ok(m.notes.tabbable, `${where}: the notes scroll, and the keyboard can reach them`);
}

/**
 * A 900x560 window (the smallest before main.go's went to 640x560; halfscreen.mjs
 * walks that one): the list and the
 * open conversation side by side, the sidebar behind Menu; the conversation
 * never scrolls its pane (a long note and a long report scroll in their own
 * box), the messages keep their room and a long dialog keeps its buttons in
 * view (light and dark).
 */
export async function smallestWindow() {
  const small = await browser.newPage({ viewport: { width: 900, height: 560 } });
  guard(small, '900x560');
  try {
    await small.goto(page.url());
    const name = small.locator('#thread-contact');
    await name.waitFor({ timeout: 60_000 });
    await small.getByRole('button', { name: 'Menu' }).waitFor();
    for (const height of [600, 560]) {
      await small.setViewportSize({ width: 900, height });
      await assertMenuClearOfSidebar(small, `900x${height}`);
    }
    assert.ok((await widthOf(small, '.main-pane')) >= 520, 'the conversation has room beside the list');
    assert.ok(await name.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), "the contact's name is not cut");
    // The worst case the demo reaches: the conversation reassigned to the
    // organizer (handoff.mjs: its note) with a long report filed here.
    await small.getByText(/^Reassigned to you by /).waitFor();
    await fileLongReport(small);
    await assertPaneFits(small, 'a reassigned conversation with a long report');
    const messages = await small.getByTestId('message-list').evaluate((el) => el.getBoundingClientRect().height);
    // The conversation's tools (Fill Report, and the line saying the only organizer has nobody to
    // reassign to) are one row.
    const toolTops = await small
      .locator('.conversation-tools button, .conversation-tools .reassign-none')
      .evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2)));
    assert.ok(toolTops.length >= 2 && toolTops.every((t) => Math.abs(t - toolTops[0]) <= 2), `the conversation's tools are one row (middles ${toolTops})`);
    // The reply area is one row (Follow Up, Reply, Send) and its segment count: about 6rem, not 220px.
    const boxOf = (n) => small.getByRole('button', { name: n, exact: true }).boundingBox();
    const [followUp, send, reply, composer] = [await boxOf('Follow Up'), await boxOf('Send'), await small.locator('#reply').boundingBox(), await small.locator('.composer').boundingBox()];
    assert.ok(Math.abs(followUp.y + followUp.height - (send.y + send.height)) <= 2 && send.y < reply.y + reply.height, 'Follow Up, Reply and Send are on one row');
    assert.ok(composer.height <= 112, `the reply area is compact (${composer.height}px)`);
    // The messages keep at least their 7rem (112px); the pane never scrolls (assertPaneFits).
    assert.ok(messages >= 112, `the messages keep their room (${messages}px)`);
    console.log(`900x560: messages ${messages}px, reply area ${composer.height}px`);
    await assertNoSidewaysScroll(small, 'a conversation at 900x560');
    await assertRowArchiveCoversNothing(small, 'the list at 900x560');

    // A resized window keeps the latest message in view: a taller one (the
    // messages fit) and back to the smallest (they scroll again).
    const atEnd = () => small.getByTestId('message-list').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight <= 4);
    assert.ok(await atEnd(), 'the conversation opens on its latest message');
    for (const height of [800, 560]) {
      await small.setViewportSize({ width: 900, height });
      await eventually(atEnd, `the latest message in view at 900x${height}`, 5_000);
    }
    // The volunteer scrolls up with the wheel to read: a taller window keeps
    // them where they were, and does not pull them back to the latest.
    const list = small.getByTestId('message-list');
    const before = await list.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
    assert.ok(before.scroll >= before.client + 40, `the conversation scrolls at 900x560 (${before.scroll}px in ${before.client}px)`);
    const lb = await list.boundingBox();
    await small.mouse.move(lb.x + lb.width / 2, lb.y + lb.height / 2);
    await small.mouse.wheel(0, -40);
    await eventually(async () => !(await atEnd()), 'scrolled up from the latest message', 5_000);
    const readingAt = await list.evaluate((el) => el.scrollTop);
    await small.setViewportSize({ width: 900, height: 570 });
    await small.waitForTimeout(300);
    assert.equal(await list.evaluate((el) => el.scrollTop), readingAt, 'a taller window keeps the volunteer where they were reading');
    await small.setViewportSize({ width: 900, height: 560 });
    await assertNoViolations(small, 'min-thread', { shots: SHOTS });
    // A long reassign note keeps to two lines; Show all reads the rest, and the pane still fits.
    await small.getByRole('button', { name: 'Show all' }).click();
    await small.getByRole('button', { name: 'Show less' }).waitFor();
    await assertPaneFits(small, 'the whole reassign note shown');
    await small.getByRole('button', { name: 'Show less' }).click();
    // The report's history open as well: it still scrolls inside its own box.
    const history = small.getByRole('region', { name: 'Report' }).getByText(/^Report history/);
    await history.click();
    await assertPaneFits(small, 'the report history open');
    await assertNoViolations(small, 'min-thread-history', { shots: SHOTS });
    await history.click();
    await small.getByRole('button', { name: 'Fill Report' }).click();
    const submit = small.getByRole('dialog').getByRole('button', { name: 'Submit Report' });
    await submit.waitFor();
    const box = await submit.boundingBox();
    assert.ok(box && box.y + box.height <= 560, 'Submit Report is in view without scrolling the dialog');
    await assertNoViolations(small, 'min-report', { shots: SHOTS });
    // An answer to fix: the keyboard goes to it, and the summary is in view with Submit (below
    // Notes, it was scrolled out of sight), the field clear of the buttons' footer.
    const dialog = small.getByRole('dialog');
    const voters = dialog.getByRole('textbox', { name: 'Voters in household' });
    await voters.fill('many');
    await submit.click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /Some answers need fixing/);
    assert.ok(await voters.evaluate((el) => el === document.activeElement), 'focus is on the answer to fix');
    const [alertBox, fieldBox, footerBox] = [await alert.boundingBox(), await voters.boundingBox(), await submit.evaluate((b) => b.parentElement.getBoundingClientRect().toJSON())];
    assert.ok(alertBox && alertBox.y >= 0 && alertBox.y + alertBox.height <= 560, `the summary is in view (${JSON.stringify(alertBox)})`);
    assert.ok(fieldBox && fieldBox.y + fieldBox.height <= footerBox.top + 0.5, `the field to fix is above the footer (${fieldBox?.y}+${fieldBox?.height} vs ${footerBox.top})`);
    await assertNoViolations(small, 'min-report-fix', { shots: SHOTS });
    await small.keyboard.press('Escape');
  } finally {
    await small.close();
  }
}
