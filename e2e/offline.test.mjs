// A volunteer whose campaign server goes away mid-conversation (SPEC 13), in
// the real window: `wails dev` runs the app with --server at a textbankd this
// test starts, kills (SIGKILL: a crash, not a goodbye) and brings back on the
// same data. Offline the inbox and threads read from the cache; a reply and
// an archive are kept, shown as waiting and counted in the status bar and the
// Outbox (opening a conversation is not counted); when the server is back
// they go out, and the reply reaches the phone network exactly once. A
// server at its connection cap answers 503 server_busy: the status bar says
// "Server busy", not "Offline".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import net from 'node:net';
import { closeSession, eventually, openRow, openSession, page, pageErrors, shot } from './session.mjs';

const bin = process.env.E2E_TEXTBANKD;
const addr = process.env.E2E_SERVER_ADDR;
const data = process.env.E2E_SERVER_DATA;
const reply = 'See you at the polls on Tuesday, Bayard!';

let server;

/** textbankd serve --demo on the test's address and data; resolves when /healthz answers. */
async function startServer() {
  server = spawn(bin, ['serve', '--demo', '--addr', addr, '--data', data, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await eventually(async () => (await fetch(`http://${addr}/healthz`)).ok, 'textbankd to answer', 60_000);
}

async function killServer() {
  if (server.exitCode !== null || server.signalCode !== null) {
    server = undefined; // it ended on its own (a flag it refused)
    return;
  }
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGKILL');
  await exited;
  server = undefined;
}

/**
 * Opens a connection, asks /healthz on it and keeps it: the status it got
 * (503 when the server is at its cap: then it is closed), and the socket.
 */
function healthzConnection() {
  const [host, port] = addr.split(':');
  return new Promise((resolve) => {
    const sock = net.connect({ host, port: Number(port) });
    let got = '';
    const done = (status) => {
      if (status !== 200) sock.destroy();
      resolve({ status, sock });
    };
    sock.on('error', () => done(0));
    sock.on('close', () => done(0));
    sock.on('connect', () => sock.write(`GET /healthz HTTP/1.1\r\nHost: ${addr}\r\n\r\n`));
    sock.on('data', (d) => {
      got += d;
      const m = /^HTTP\/1\.1 (\d+)/.exec(got);
      if (m) done(Number(m[1]));
    });
  });
}

/**
 * textbankd serve --demo taking one connection at once (--max-conns 1),
 * that one held by the test: every connection the app opens is refused.
 * The app, in its backoff, rarely asks first; if it does (and holds the
 * slot), the server is started again.
 */
async function startFullServer() {
  for (let attempt = 1; attempt <= 3; attempt++) {
    server = spawn(bin, ['serve', '--demo', '--addr', addr, '--data', data, '--log-level', 'error', '--max-conns', '1', '--max-conns-per-address', '1'],
      { stdio: ['ignore', 'ignore', 'inherit'] });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const c = await healthzConnection();
      if (c.status === 200) return c.sock;
      await new Promise((r) => setTimeout(r, c.status === 503 ? 200 : 20));
    }
    await killServer();
  }
  throw new Error('the test never held the connection slot of textbankd --max-conns 1');
}

const status = () => page.getByRole('status').filter({ has: page.locator('.connection-text') });
const statusLine = async () => (await status().innerText()).trim();

before(async () => {
  assert.ok(bin && addr && data, 'E2E_TEXTBANKD, E2E_SERVER_ADDR and E2E_SERVER_DATA are set (e2e/run.sh sets them)');
  await startServer();
  await openSession();
});
after(async () => {
  if (server) await killServer();
  await closeSession();
});

test('sign in and join against a campaign server of its own', async () => {
  await page.goto(process.env.E2E_URL);
  await page.getByLabel('Email').fill('demo@textbank.local');
  await page.getByLabel('Password').fill('textbank-demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Join code').fill('123456');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
  assert.ok(await openRow('All', /Rosa Parks/), "Rosa Parks's conversation opens");
  await eventually(async () => (await statusLine()) === 'Online', 'the status bar to say Online');
});

test('the server is at its connection cap: the status bar says busy, not offline, until it takes the app again', async () => {
  await killServer();
  const held = await startFullServer();
  // Refused with 503 server_busy: the app says so and asks again on its own.
  await eventually(async () => (await statusLine()) === 'Server busy', 'the status bar to say Server busy', 120_000);
  assert.match((await status().getAttribute('title')) ?? '', /busy\. Textbank will try again/);
  await shot('server-busy');
  held.destroy();
  await killServer();
  await startServer(); // without the cap: the app holds about 3 connections
  await eventually(async () => (await statusLine()) === 'Online', 'the status bar to say Online again', 120_000);
});

test('the server goes away: the inbox still reads, changes wait and are counted', async () => {
  await killServer();
  await eventually(async () => (await statusLine()).startsWith('Offline'), 'the status bar to say Offline', 60_000);

  // Opening a conversation offline reads it from the cache, and is not a change to count.
  assert.equal(await openRow('All', /Bayard Rustin/, 10_000), 'Bayard Rustin', "Bayard Rustin's conversation opens offline");
  await page.getByTestId('message-list').getByText('Yes, already requested my mail ballot.').waitFor();
  assert.equal(await statusLine(), 'Offline', 'opening a conversation adds nothing waiting');

  await page.getByLabel('Reply').fill(reply);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const sent = page.getByTestId('message-list').locator('li', { hasText: reply });
  await sent.getByText('Waiting to send: goes out when you are back online').waitFor();
  await eventually(async () => (await statusLine()) === 'Offline · 1 change waiting to send', 'one change counted');

  assert.ok(await openRow('All', /Rosa Parks/, 10_000));
  const header = page.locator('.thread-header');
  await header.getByRole('button', { name: 'Archive', exact: true }).click();
  await header.getByText('Archived by you').waitFor();
  await eventually(async () => (await statusLine()) === 'Offline · 2 changes waiting to send', 'two changes counted');

  await page.getByRole('button', { name: 'Outbox' }).click();
  await page.getByRole('heading', { name: 'Waiting to send (2)' }).waitFor();
  const waiting = await page.locator('.outbox-list strong').allInnerTexts();
  assert.deepEqual(waiting, ['Reply to Bayard Rustin', 'Archive conversation with Rosa Parks']);
  await page.locator('.outbox .notice').getByText(/reach the campaign server/).waitFor();
  await shot('offline-outbox');
});

test('the server comes back: what waited goes out, once', async () => {
  await startServer();
  // The app retries on its own (backoff up to a minute); nothing is clicked.
  await eventually(async () => (await statusLine()) === 'Online', 'the status bar to say Online again', 120_000);
  await page.getByText('Everything has reached the campaign server.').waitFor();

  // The reply reached the simulated phone network once: the server's export lists it once, sent.
  const csv = execFileSync(bin, ['export', 'messages', '--data', data, '--campaign', '123456', '--action-title', 'Text Your Friends'], { encoding: 'utf8' });
  const rows = csv.split('\n').filter((l) => l.includes(reply));
  assert.equal(rows.length, 1, `the reply is in the export once:\n${csv}`);
  assert.match(rows[0], /,(sent|delivered),/, `the reply was sent: ${rows[0]}`);

  assert.ok(await openRow('Archive', /Rosa Parks/, 30_000), "Rosa Parks's conversation is archived on the server's word too");
  assert.ok(await openRow('All', /Bayard Rustin/, 30_000));
  const sent = page.getByTestId('message-list').locator('li', { hasText: reply });
  await sent.waitFor();
  assert.equal(await sent.getByText('Waiting to send', { exact: false }).count(), 0, 'the reply no longer waits');
});

test('the page logged no errors', () => {
  assert.deepEqual(pageErrors, []);
});
