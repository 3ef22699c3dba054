// UI timing figures for `make bench`, in the real window's UI served by
// `wails dev` (real Go bindings, embedded demo server, simulated contacts),
// driven by Playwright in Debian's chromium. Run through `e2e/run.sh --bench`.
//
// Prints markdown table rows: | name | figure | unit | baseline | ratio |
//
// "Painted" is measured in the page: the first task after the next frame's
// rendering once the DOM shows the change (requestAnimationFrame, then a
// zero-delay timeout, which runs after that frame's paint).
//
// (a) Send -> next contact: from the click event's timestamp (the browser's
//     own input time) to the frame that shows the next contact's name, in
//     milliseconds and in frames (counted by a loop of animation frames:
//     "within one frame of Send" is the next contact painted in the frame a
//     bare click's change is painted in).
//     Baseline, same run, same path: a click on a button whose handler only
//     changes its own text (input -> one rendered frame, nothing else).
// (b) reply -> row: from the first Go event that reports the reply as the
//     page receives it (inbox:changed carrying the thread's row with the
//     reply as its last message, or reply:new) to the
//     frame that shows the reply in the thread's row of the All list. The Go
//     side before that (server -> cache -> event) is measured by the Go
//     benchmarks. Baseline, same run: the floor of any refetch, one Go call
//     (Inbox.Counts of the campaign, through the same Wails bridge) and the
//     frame after it, measured the same way.
// (c) opening a thread of 500 messages: a click on its row to the frame
//     showing the thread with its latest message (the older ones are then
//     added above, off screen; the time to all of them in the DOM goes to
//     stderr). Baseline, same run: a short thread opened the same way.
import { APP_URL, launchChromium } from './session.mjs';

const SENDS = Number(process.env.BENCH_SENDS ?? 30);
const REPLY_WAIT_MS = Number(process.env.BENCH_REPLY_WAIT_MS ?? 25_000);

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.ceil(q * s.length) - 1);
  return s[Math.max(0, i)];
}

const fmt = (v) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const row = (name, v, unit, base) =>
  `| ${name} | ${fmt(v)} | ${unit} | ${fmt(base)} | ${Number.isFinite(v / base) ? (v / base).toFixed(2) : 'n/a'} |`;

async function eventually(fn, what, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bench: timed out waiting for ${what}`);
}

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(APP_URL);
  const code = page.getByLabel('Join code');
  await code.waitFor({ timeout: 120_000 });
  await code.fill('123456');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByRole('button', { name: /Get Out The Vote/ }).first().click();
  await page.getByRole('button', { name: 'Start' }).click();
  const send = page.getByRole('button', { name: 'Send', exact: true });
  await send.waitFor();

  // In-page probes: a click's input time to the frame showing a change.
  await page.evaluate(() => {
    const afterPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const w = window;
    w.__bench = { send: [], sendDom: [], sendFrames: [], base: [], baseFrames: [], reply: [], replyDom: [], frame: [], events: new Map() };
    // Frames counted by a loop of animation frames: a change's frame is the
    // count in the first animation frame after the DOM shows it (the frame
    // that paints it), less the count when the click came in.
    w.__frames = 0;
    const tick = () => {
      w.__frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const paintedFrame = () => new Promise((r) => requestAnimationFrame(() => r(w.__frames)));
    // whenShown calls done once shown() holds, checked now and at each DOM
    // change (for at most timeout ms when given); the probes below use it.
    w.__whenShown = (shown, done, timeout) => {
      if (shown()) return done();
      const obs = new MutationObserver(() => {
        if (!shown()) return;
        obs.disconnect();
        done();
      });
      obs.observe(document.body, { subtree: true, childList: true, characterData: true });
      if (timeout) setTimeout(() => obs.disconnect(), timeout);
    };
    document.addEventListener(
      'click',
      (e) => {
        const t0 = e.timeStamp;
        const f0 = w.__frames;
        const target = e.target;
        if (target instanceof HTMLElement && target.id === 'bench-baseline') {
          target.textContent = String(Number(target.textContent) + 1);
          void paintedFrame().then((f) => w.__bench.baseFrames.push(f - f0));
          void afterPaint().then(() => w.__bench.base.push(performance.now() - t0));
          return;
        }
        if (!(target instanceof HTMLElement) || target.textContent !== 'Send') return;
        const name = () => document.querySelector('[data-testid="recipient-name"]')?.textContent;
        const before = name();
        w.__whenShown(
          () => name() !== before,
          () => {
            w.__bench.sendDom.push(performance.now() - t0);
            void paintedFrame().then((f) => w.__bench.sendFrames.push(f - f0));
            void afterPaint().then(() => w.__bench.send.push(performance.now() - t0));
          },
        );
      },
      true,
    );
    const b = document.createElement('button');
    b.id = 'bench-baseline';
    b.textContent = '0';
    b.style.cssText = 'position:fixed;right:0;top:0;width:40px;height:24px;z-index:99';
    document.body.appendChild(b);
  });

  // (a) Send -> next contact, with the baseline click interleaved.
  const baseline = page.locator('#bench-baseline');
  for (let i = 0; i < SENDS; i++) {
    if (!(await send.isVisible())) {
      await page.getByRole('button', { name: 'Text Again' }).click();
      await send.waitFor();
    }
    const n = await page.evaluate(() => window.__bench.send.length);
    await send.click();
    await eventually(() => page.evaluate((k) => window.__bench.send.length > k, n), 'the next contact');
    const m = await page.evaluate(() => window.__bench.base.length);
    await baseline.click();
    await eventually(() => page.evaluate((k) => window.__bench.base.length > k, m), 'the baseline frame');
  }
  const sendMs = await page.evaluate(() => window.__bench.send);
  const clickMs = await page.evaluate(() => window.__bench.base);
  const sendDomMs = await page.evaluate(() => window.__bench.sendDom);
  const sendFrames = await page.evaluate(() => window.__bench.sendFrames);
  const baseFrames = await page.evaluate(() => window.__bench.baseFrames);
  const sameFrame = sendFrames.filter((f, i) => f <= baseFrames[i]).length;

  // (b) replies to those texts arrive over the next seconds; watch the All list.
  await page.getByRole('button', { name: /^All\b/ }).click();
  await page.evaluate(() => {
    const w = window;
    const afterPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    // A thread's events are keyed by its row's last message: the clock
    // starts at the event that brings THIS reply, not at an earlier one
    // naming the thread (the text's own delivery, or a local change).
    const key = (threadId, body) => `${threadId}\n${(body ?? '').slice(0, 40)}`;
    w.runtime.EventsOn('inbox:changed', (c) => {
      const now = performance.now();
      for (const t of c?.threads ?? []) {
        const k = key(t.id, t.lastMessage);
        if (!w.__bench.events.has(k)) w.__bench.events.set(k, now);
      }
    });
    w.runtime.EventsOn('reply:new', (r) => {
      const k = key(r.threadId, r.body);
      const t0 = w.__bench.events.get(k) ?? performance.now();
      w.__bench.events.delete(k);
      const name = r.contactName;
      const body = r.body.slice(0, 40);
      const shown = () =>
        [...document.querySelectorAll('[data-testid="thread-row"]')].some(
          (el) => el.textContent.includes(name) && el.querySelector('.preview')?.textContent.startsWith(body),
        );
      // Where the time goes: the DOM showing the row, then the paint.
      const done = () => {
        w.__bench.replyDom.push(performance.now() - t0);
        void afterPaint().then(() => w.__bench.reply.push(performance.now() - t0));
      };
      w.__whenShown(shown, done, 10_000);
    });
  });
  const deadline = Date.now() + REPLY_WAIT_MS;
  while (Date.now() < deadline) {
    // The baseline, measured meanwhile: one Go call and the frame after it.
    await page.evaluate(async () => {
      const campaign = window.location.hash.match(/^#\/c\/([^/?]+)/)?.[1] ?? '';
      const t0 = performance.now();
      await window.go.app.Inbox.Counts(campaign);
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      window.__bench.frame.push(performance.now() - t0);
    });
    await new Promise((r) => setTimeout(r, 200));
    if ((await page.evaluate(() => window.__bench.reply.length)) >= SENDS) break;
  }
  const replyMs = await page.evaluate(() => window.__bench.reply);
  const frameMs = await page.evaluate(() => window.__bench.frame);
  const domMs = await page.evaluate(() => window.__bench.replyDom);

  // (c) Opening a thread of 500 messages: the volunteer's replies to one
  // contact through the bindings until the thread holds 500, all gone out;
  // then a click on its row (from a short thread), timed to the frame that
  // shows the thread with its latest message, and to all its messages in
  // the DOM. Baseline, interleaved: a short thread opened from another
  // short one, measured the same way.
  const threads = await page.evaluate(async (want) => {
    const inbox = window.go.app.Inbox;
    const rows = await inbox.Threads('all', '', '', 0, 50);
    let big = null;
    for (const t of rows) {
      if (t.optedOut) continue;
      const v = await inbox.Thread(t.id);
      if (v.allowFreeText && !v.thread.blocked) {
        big = t;
        break;
      }
    }
    if (!big) throw new Error('bench: no thread takes a free-text reply');
    const have = (await inbox.Thread(big.id)).messages.length;
    for (let i = have; i < want; i++) await inbox.SendReply(big.id, `Thanks, noted (${i + 1})`, '');
    const others = rows.filter((t) => t.id !== big.id && t.contactName !== big.contactName);
    return [big, others[0], others[1]].map((t) => ({ id: t.id, name: t.contactName }));
  }, 500);
  await eventually(async () => (await page.evaluate(() => window.go.app.Inbox.Outbox())).length === 0, 'the 500 replies to go out', 180_000);
  const [bigName, small1, small2] = threads;
  await page.getByRole('button', { name: /^All\b/ }).click();
  const open = async ({ id, name }, timed) => {
    const row = page.locator(`[data-testid="thread-row"][data-thread-id="${id}"] button.thread-open`);
    await row.waitFor();
    if (!timed) {
      await row.click();
      await page.locator('#thread-contact', { hasText: name }).waitFor();
      await page.waitForTimeout(300);
      return null;
    }
    const last = await page.evaluate(async (id) => {
      const v = await window.go.app.Inbox.Thread(id);
      return { n: v.messages.length, body: v.messages[v.messages.length - 1].body.slice(0, 30) };
    }, id);
    await page.evaluate(({ name, last }) => {
      const w = window;
      const afterPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      w.__open = new Promise((resolve) => {
        document.addEventListener(
          'click',
          (e) => {
            const t0 = e.timeStamp;
            const f0 = w.__frames;
            const out = {};
            const list = () => (document.getElementById('thread-contact')?.textContent.includes(name) ? document.querySelector('[data-testid="message-list"]') : null);
            const check = () => {
              const l = list();
              if (!l) return false;
              if (out.latest === undefined && l.lastElementChild?.textContent.includes(last.body)) {
                out.latest = null;
                void new Promise((r) => requestAnimationFrame(() => r(w.__frames))).then((f) => (out.frames = f - f0));
                void afterPaint().then(() => (out.latest = performance.now() - t0));
              }
              if (out.all === undefined && l.children.length >= last.n) out.all = performance.now() - t0;
              return out.latest !== undefined && out.all !== undefined;
            };
            const finish = () => {
              const wait = () => (out.latest === null ? setTimeout(wait, 5) : resolve(out));
              wait();
            };
            w.__whenShown(check, finish);
          },
          { capture: true, once: true },
        );
      });
    }, { name, last });
    await row.click();
    return { n: last.n, ...(await page.evaluate(() => window.__open)) };
  };
  const opened = { big: [], bigAll: [], bigFrames: [], small: [], smallFrames: [] };
  let bigCount = 0;
  for (let i = 0; i < 10; i++) {
    await open(small1, false);
    const b = await open(bigName, true);
    bigCount = b.n;
    opened.big.push(b.latest);
    opened.bigAll.push(b.all);
    opened.bigFrames.push(b.frames);
    await open(small1, false);
    const sm = await open(small2, true);
    opened.small.push(sm.latest);
    opened.smallFrames.push(sm.frames);
  }

  console.error(`bench: ${sendMs.length} sends, ${clickMs.length} baseline clicks, ${replyMs.length} replies, ${frameMs.length} baseline Go calls`);
  console.error(`bench: Send -> next contact in the DOM, median ${fmt(quantile(sendDomMs, 0.5))} ms, p99 ${fmt(quantile(sendDomMs, 0.99))} ms (the rest to the paint)`);
  console.error(`bench: reply event -> row in the DOM, median ${fmt(quantile(domMs, 0.5))} ms, p99 ${fmt(quantile(domMs, 0.99))} ms (the rest to the paint)`);
  console.error(`bench: opening a thread of ${bigCount} messages: all of them in the DOM, median ${fmt(quantile(opened.bigAll, 0.5))} ms`);
  console.error(`bench: thread opened in frame ${opened.bigFrames.join(',')} after the click (500 messages), ${opened.smallFrames.join(',')} (short)`);
  console.log(row(`UI open a thread of ${bigCount} messages -> its latest painted, frames after the click, median`, quantile(opened.bigFrames, 0.5), 'frames', quantile(opened.smallFrames, 0.5)));
  console.log(row(`UI open a thread of ${bigCount} messages -> its latest painted, median`, quantile(opened.big, 0.5), 'ms', quantile(opened.small, 0.5)));
  console.error(`bench: Send -> next contact painted in frame ${sendFrames.join(',')} after the click; the baseline click in ${baseFrames.join(',')}`);
  console.log(row('UI Send pressed -> next contact painted, frames after the click, median', quantile(sendFrames, 0.5), 'frames', quantile(baseFrames, 0.5)));
  console.log(row(`UI Send pressed -> next contact painted no later than a bare click's change (of ${sendFrames.length})`, sameFrame, 'sends', sendFrames.length));
  console.log(row('UI Send pressed -> next contact painted, median', quantile(sendMs, 0.5), 'ms', quantile(clickMs, 0.5)));
  console.log(row('UI Send pressed -> next contact painted, p99', quantile(sendMs, 0.99), 'ms', quantile(clickMs, 0.99)));
  console.log(row(`UI reply event -> row painted, median (n=${replyMs.length})`, quantile(replyMs, 0.5), 'ms', quantile(frameMs, 0.5)));
  console.log(row(`UI reply event -> row painted, p99 (n=${replyMs.length})`, quantile(replyMs, 0.99), 'ms', quantile(frameMs, 0.99)));
} finally {
  await browser.close();
}
