// The volunteer's path through the demo, in the real window's UI served by
// `wails dev` (real Go bindings, embedded server, simulated contacts).
// Controls are found by role and accessible name, as a screen reader would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const APP_URL = process.env.E2E_URL ?? 'http://localhost:34115';
const SHOTS = new URL('./artifacts/', import.meta.url).pathname;

let browser;
let page;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => console.error('page error:', err.message));
});

after(async () => {
  if (page) await page.screenshot({ path: `${SHOTS}e2e-last.png` }).catch(() => {});
  await browser?.close();
});

// Polls until fn returns a truthy value; Playwright's expect lives in
// @playwright/test, which we do not install.
async function eventually(fn, what, timeout = 30_000) {
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

function filterCount(name) {
  return async () => {
    const label = await page.getByRole('button', { name: new RegExp(`^${name}\\b`) }).first().innerText();
    const m = label.match(/(\d+)/);
    return m ? Number(m[1]) : 0;
  };
}

test('join, send, Text Again, replies arrive, Follow Up', async () => {
  await page.goto(APP_URL);

  // Step 2: a wrong code is refused with a clear message, the right one joins.
  const code = page.getByLabel('Join code');
  await code.waitFor({ timeout: 60_000 });
  await code.fill('999999');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: '999999' }).waitFor();
  await code.fill('123456');
  await page.getByRole('button', { name: 'Join', exact: true }).click();

  // Step 3: the action, its description and instructions, Start.
  await page.getByRole('button', { name: /Get Out The Vote/ }).first().click();
  await page.getByText(/instructions/i).first().waitFor();
  await page.getByRole('button', { name: 'Start' }).click();

  // Step 4: the recipient's name, the rendered script, the count; Send and Enter.
  const send = page.getByRole('button', { name: 'Send', exact: true });
  await send.waitFor();
  const left = async () => Number((await page.getByText(/\d+ left/).first().innerText()).match(/(\d+) left/)[1]);
  const before = await left();
  assert.ok(before > 0, 'the batch has contacts');
  const firstName = await page.getByTestId('recipient-name').innerText();
  await send.click();
  await eventually(async () => (await page.getByTestId('recipient-name').innerText()) !== firstName, 'the next contact');
  assert.equal(await left(), before - 1);
  await page.keyboard.press('Enter');
  await eventually(async () => (await left()) === before - 2, 'Enter to send');
  for (let i = 2; i < before; i++) await send.click();

  // The batch is done: Text Again brings more.
  await page.getByRole('button', { name: 'Text Again' }).click();
  await send.waitFor();
  assert.ok((await left()) > 0, 'Text Again assigned more contacts');
  await page.screenshot({ path: `${SHOTS}e2e-send.png` });

  // Step 5: replies arrive by themselves; the filters count them.
  await eventually(async () => (await filterCount('Unread')()) > 0, 'a reply to arrive', 60_000);
  await page.getByRole('button', { name: /^All\b/ }).click();
  await page.getByText('Peer-to-Peer').first().waitFor();
  await eventually(async () => (await filterCount('Needs Attention')()) > 0, 'a reply that needs attention', 60_000);

  // Step 6: open an unread thread: it stops being unread. Follow Up, send.
  // (Other contacts keep replying meanwhile, so the check is on this row,
  // not on the Unread count.)
  // An opted-out contact cannot be answered, so pick one who can.
  await page.getByRole('button', { name: /^Needs Attention\b/ }).click();
  const row = page.getByTestId('thread-row').filter({ hasText: 'unread' }).filter({ hasNotText: 'Opted out' }).first();
  await eventually(async () => (await row.count()) > 0, 'an unread thread that can be answered', 60_000);
  const who = (await row.locator('.contact').innerText()).trim();
  assert.ok(who, 'the row names the contact');
  await row.click();
  await page.getByRole('heading', { name: who }).waitFor();
  await page.getByRole('button', { name: /^All\b/ }).click();
  await eventually(async () => {
    const mine = page.getByTestId('thread-row').filter({ hasText: who });
    return (await mine.count()) > 0 && (await mine.filter({ hasText: 'unread' }).count()) === 0;
  }, `${who}'s thread to stop being unread`);
  await page.getByTestId('thread-row').filter({ hasText: who }).first().click();
  await page.getByRole('button', { name: 'Follow Up' }).click();
  await page.getByRole('menuitem').first().click();
  const reply = page.getByLabel('Reply');
  const body = await reply.inputValue();
  assert.ok(body.length > 0, 'picking a response script fills the reply');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.getByTestId('message-list').getByText(body.slice(0, 30)).first().waitFor();
  await page.screenshot({ path: `${SHOTS}e2e-thread.png` });
});

test('sign out, the sign-in and sign-up screens against the real server', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  const email = page.getByLabel('Email');
  const password = page.getByLabel('Password');

  // A wrong password is refused with a message, and nothing else happens.
  await email.fill('demo@textbank.local');
  await password.fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('alert').first().waitFor();
  assert.ok(await email.isVisible(), 'still on the sign-in screen');

  // Sign up: an email that is taken is named by the server's answer.
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill('Eve Example');
  await page.getByLabel('Email').fill('demo@textbank.local');
  await page.getByLabel('Password').fill('long-enough-password');
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: /already/i }).first().waitFor();

  // A fresh account lands on the join screen.
  await page.getByLabel('Email').fill(`eve-${Date.now()}@example.org`);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByLabel('Join code').waitFor();

  // The other way in: find the campaign by searching its name.
  await page.getByLabel('Search campaigns').fill('Democracy');
  await page.getByRole('button', { name: 'Join Demo for Democracy' }).click();
  await page.getByRole('button', { name: /Get Out The Vote/ }).first().waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // The demo volunteer signs back in and finds the campaign it joined.
  await page.getByLabel('Email').fill('demo@textbank.local');
  await page.getByLabel('Password').fill('textbank-demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: /Get Out The Vote/ }).first().waitFor();
  await eventually(async () => (await filterCount('All')()) > 0, 'the synced inbox after signing in again');
});
