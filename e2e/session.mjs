// The one browser session the flows share (e2e/flow.test.mjs runs them in
// order against one `wails dev --demo`), and the helpers every flow uses:
// the page and its error guard, axe in both schemes, screenshots, polling,
// and the inbox's controls. `page` and `browser` are live bindings, set by
// openSession before the first flow runs.
import { chromium } from 'playwright-core';
import { assertNoViolations, focused } from './a11y.mjs';

export const APP_URL = process.env.E2E_URL ?? 'http://localhost:34115';
export const SHOTS = new URL('./artifacts/', import.meta.url).pathname;

/** Debian's chromium (or $CHROMIUM), headless, through playwright-core; the bench uses it too. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export let browser;
export let page;
// Anything the page reports as an error fails the run; the Wails dev
// bridge's own "reading 'nodes'" on load is not ours.
export const pageErrors = [];
const ignored = /reading 'nodes'/;

/** The browser and the page every flow drives (the runner's before hook). */
export async function openSession() {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  guard(page);
}

/** Records p's page errors and console errors in pageErrors (where names a page beside the flows'). */
export function guard(p, where = '') {
  const at = where ? ` (${where})` : '';
  p.on('pageerror', (err) => {
    if (!ignored.test(err.message)) pageErrors.push(`page error${at}: ${err.message}`);
  });
  p.on('console', (msg) => {
    if (msg.type() === 'error' && !ignored.test(msg.text())) pageErrors.push(`console error${at}: ${msg.text()}`);
  });
}

/** The page as the run left it, kept in artifacts; the browser closed (the runner's after hook). */
export async function closeSession() {
  if (page) await page.screenshot({ path: `${SHOTS}e2e-last.png` }).catch(() => {});
  await browser?.close();
}

/** axe-core on the screen as it is, light and dark (screenshots of both kept in artifacts). */
export const axe = (screen) => assertNoViolations(page, screen, { shots: SHOTS });

/** Focus is on a control, never dropped on the page body. */
export async function assertFocusKept(where) {
  const f = await eventually(async () => {
    const now = await focused(page);
    return now.body ? false : now;
  }, `focus to land on a control ${where}`, 5_000);
  return f;
}

/** Screenshots the window as it is, in the light and the dark scheme. */
export async function shot(name) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SHOTS}e2e-${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

// Polls until fn returns a truthy value; Playwright's expect lives in
// @playwright/test, which we do not install.
export async function eventually(fn, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}

// ---- the inbox: its filters, its search, its rows ----

export const filterButton = (name) =>
  page.getByRole('navigation', { name: 'Inbox filters' }).getByRole('button', { name: new RegExp(`^${name}\\b`) });

export function filterCount(name) {
  return async () => {
    const label = await filterButton(name).innerText();
    const m = label.match(/(\d+)/);
    return m ? Number(m[1]) : 0;
  };
}

export const search = () => page.getByLabel('Search by name or number');
export const rowOf = (name) => page.getByTestId('thread-row').filter({ hasText: name });

/** The inbox's list, found as a screen reader finds it. */
export const conversationList = () => page.getByRole('region', { name: 'Conversations', exact: true }).getByRole('list');

/** A conversation's row in the list, by its button: named for the contact first (its Archive button is "Archive NAME"). */
export const rowButton = (name) => conversationList().getByRole('button', { name: new RegExp(`^${name}\\b`) });

export async function showFilter(name) {
  await filterButton(name).click();
}

/** Opens the first thread in a filter whose row matches `has` (a RegExp on the row's text), or returns null. */
export async function openRow(filter, has, timeout = 60_000) {
  await search().fill('');
  await showFilter(filter);
  const row = page.getByTestId('thread-row').filter({ hasText: has }).first();
  try {
    await eventually(async () => (await row.count()) > 0, `a row matching ${has}`, timeout);
  } catch {
    return null;
  }
  // The thread this row opens: the URL names it, so a thread still open from
  // an earlier test is never mistaken for it.
  // The previous thread's heading may still be on screen while this one loads.
  // From here on the row is found by its id: a new reply can put another
  // matching row first between two looks.
  const id = await row.getAttribute('data-thread-id');
  const mine = page.locator(`[data-testid="thread-row"][data-thread-id="${id}"]`);
  const name = (await mine.locator('.contact').innerText()).trim();
  await mine.locator('.thread-open').click();
  await eventually(async () => page.url().includes(`/thread/${id}`), 'the thread to open');
  const heading = page.locator('#thread-contact');
  await eventually(async () => (await heading.count()) > 0 && (await heading.innerText()).trim() === name, `${name}'s thread on screen`);
  return name;
}
