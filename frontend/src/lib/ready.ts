import { ready } from '../backend';

// Settings.Ready marks the moment the first screen is usable; the start-up
// benchmark measures to it, so it is said once per run, not per inbox shown.
let said = false;

/** Tells the Go side the first inbox list is on screen (the first call only). */
export function sayReady() {
  if (said) return;
  said = true;
  // A failure here only loses a log marker: nothing for the volunteer to see.
  ready().catch(() => {});
}

/** Tests start each run afresh. */
export function resetReady() {
  said = false;
}
