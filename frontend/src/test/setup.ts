import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { resetBackend } from './fakeBackend';
import { resetReady } from '../lib/ready';

// The machine running the tests may be busy: wait for the UI longer than the default second.
// 5 s was not enough on a 2-core machine at load 27 (an admin page's first find, CI,
// 2026-12-04); a wait only runs this long when it is failing or the machine is starved.
configure({ asyncUtilTimeout: 15_000 });

// Every test talks to the fake Go side, never to the generated bindings.
vi.mock('../backend', () => import('./fakeBackend'));

beforeEach(() => {
  resetBackend();
  resetReady();
  localStorage.clear();
});
afterEach(cleanup);

// jsdom lays nothing out, so every element measures 0x0 and the virtualised
// thread list would render no rows. Give elements a window-like size.
const rect = { x: 0, y: 0, top: 0, left: 0, width: 800, height: 600, right: 800, bottom: 600 };
HTMLElement.prototype.getBoundingClientRect = function () {
  return { ...rect, toJSON: () => rect } as DOMRect;
};
// @tanstack/virtual reads the scroll element's client size.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
if (!HTMLElement.prototype.scrollTo) HTMLElement.prototype.scrollTo = () => {};
