import { ready } from '../backend';

// Settings.Ready marks the moment the first screen is painted and takes
// input; the start-up benchmark measures to it, so it is said once per run,
// not per inbox shown.
let said = false;
// Bumped by resetReady, so a signal still waiting for its frame from an
// earlier run (a test's) is dropped.
let run = 0;
let scriptMs = 0;
let after: (() => void) | undefined;

/** main.tsx: the bundle is loaded and runs (ms on the page's clock), and what to do once ready. */
export function startClock(atMs: number, thenDo?: () => void) {
  scriptMs = atMs;
  after = thenDo;
}

/**
 * Tells the Go side the first inbox list is on screen (the first call only):
 * after the next frame is painted, in the task after it, where a key press
 * would already be handled.
 */
export function sayReady(rows: number) {
  if (said) return;
  said = true;
  const mine = run;
  requestAnimationFrame(() =>
    setTimeout(() => {
      if (mine !== run) return;
      // A failure here only loses a log marker: nothing for the volunteer to see.
      ready(rows, scriptMs, performance.now()).catch(() => {});
      after?.();
    }, 0),
  );
}

/** Tests start each run afresh. */
export function resetReady() {
  said = false;
  run++;
  scriptMs = 0;
  after = undefined;
}
