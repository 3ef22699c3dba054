import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import type { MockInstance } from 'vitest';
import { resetBackend } from './fakeBackend';
import { resetReady } from '../lib/ready';
import { resetWarmPane } from '../warmPane';

// The machine running the tests may be busy: wait for the UI longer than the default second.
// 5 s was not enough on a 2-core machine at load 27 (an admin page's first find, CI,
// 2026-12-04); a wait only runs this long when it is failing or the machine is starved.
configure({ asyncUtilTimeout: 15_000 });

// Every test talks to the fake Go side, never to the generated bindings.
vi.mock('../backend', () => import('./fakeBackend'));

beforeEach(() => {
  resetBackend();
  resetReady();
  resetWarmPane();
  localStorage.clear();
});
// React's missing-key warning is a bug in a list (or a fixture row without its id) that a test would only print:
// the test that rendered it fails. So does TanStack Query's "Query data cannot be undefined": a query function
// (most often a fake binding no test set) answered nothing, the query failed, and the screen tested is not the one
// a user sees. Other console errors print as before. Read from the spy's calls, which it records whatever its
// implementation: a test that silences console.error (vi.spyOn gives it this same spy) is checked too.
let consoleErrors: MockInstance<typeof console.error>;
beforeEach(() => {
  consoleErrors = vi.spyOn(console, 'error');
});
// One hook, the check last: a failing after-hook skips the others, and the next test would find this one's screen.
afterEach(() => {
  cleanup();
  const printed = consoleErrors.mock.calls.map((args) => args.map(String).join(' '));
  consoleErrors.mockRestore();
  expect(printed.filter((text) => text.includes('unique "key" prop')), 'React warned of list items without a unique key').toEqual([]);
  expect(printed.filter((text) => text.includes('Query data cannot be undefined')), 'a query answered undefined').toEqual([]);
});

// jsdom lays nothing out, so every element measures 0x0 and the virtualised
// conversation list would render no rows. Give elements a window-like size.
const rect = { x: 0, y: 0, top: 0, left: 0, width: 800, height: 600, right: 800, bottom: 600 };
HTMLElement.prototype.getBoundingClientRect = function () {
  return { ...rect, toJSON: () => rect } as DOMRect;
};
// @tanstack/virtual reads the scroll element's client size.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
if (!HTMLElement.prototype.scrollTo) HTMLElement.prototype.scrollTo = () => {};
