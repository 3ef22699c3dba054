// The layout at 200% zoom and at twice the default font size, each in a page
// of its own beside the flows' page (the same app, already signed in).
import assert from 'node:assert/strict';
import { APP_URL, SHOTS, browser } from '../session.mjs';

/** Nothing is wider than the window: no sideways scrolling, nothing cut off. */
async function assertNoSidewaysScroll(p, where) {
  const { scroll, client } = await p.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client + 1, `${where}: the page is ${scroll}px wide in a ${client}px window`);
}

/** The visible width of the first element matching selector. */
const widthOf = (p, selector) => p.locator(selector).first().evaluate((el) => el.getBoundingClientRect().width);

/** At 200% zoom every main screen keeps its width; with a larger font, rows grow instead of overlapping. */
export async function zoomAndLargeFont() {
  // 200% zoom of the 1280x800 window is a 640x400 CSS-pixel viewport at twice the pixel density.
  const zoomed = await browser.newPage({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
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
}
