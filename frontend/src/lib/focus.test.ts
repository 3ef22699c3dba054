import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { focusWhenDrawn, rescueFocus } from './focus';

// Frames run by hand, so that each test says what the page looks like at each one.
// Each frame is 16 ms later on the page's clock.
let frames: FrameRequestCallback[] = [];
let now = 0;
const nextFrame = () => {
  const run = frames;
  frames = [];
  now += 16;
  run.forEach((f) => f(now));
};

beforeEach(() => {
  frames = [];
  now = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => frames.push(f));
  vi.stubGlobal('cancelAnimationFrame', () => (frames = []));
  document.body.innerHTML = '<h1>Inbox</h1><ul></ul><input id="search">';
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const heading = () => document.querySelector<HTMLElement>('h1');
const row = () => document.querySelector<HTMLElement>('#row');
const addRow = () => (document.querySelector('ul')!.innerHTML = '<li><button id="row">Troll</button></li>');

describe('rescueFocus', () => {
  it('puts focus on the target when nothing has it', () => {
    rescueFocus(heading);
    nextFrame();
    expect(document.activeElement).toBe(heading());
  });

  it('scrolls the target into view unless told not to (a conversation opens at its latest message)', () => {
    const focus = vi.spyOn(HTMLElement.prototype, 'focus');
    rescueFocus(heading);
    nextFrame();
    expect(focus).toHaveBeenLastCalledWith({ preventScroll: false });
    heading()!.blur();
    rescueFocus(heading, 3000, undefined, false);
    nextFrame();
    expect(document.activeElement).toBe(heading());
    expect(focus).toHaveBeenLastCalledWith({ preventScroll: true });
  });

  it("places focus again when the heading it placed is replaced by the new pane's, which came late", () => {
    rescueFocus(heading, 1000);
    nextFrame();
    expect(document.activeElement).toBe(heading());
    document.body.innerHTML = '<h1>Admin</h1>';
    nextFrame();
    expect(document.activeElement).toBe(heading());
    expect(heading()).toHaveTextContent('Admin');
    for (let i = 0; i < 70; i++) nextFrame();
    expect(frames).toHaveLength(0);
  });

  it('leaves focus alone when a control already has it', () => {
    document.querySelector<HTMLElement>('#search')!.focus();
    rescueFocus(heading);
    nextFrame();
    expect(document.activeElement?.id).toBe('search');
  });

  it('puts focus on the target when the control that held it leaves the page in that time', () => {
    addRow();
    row()!.focus();
    rescueFocus(heading, 1000);
    nextFrame();
    expect(document.activeElement).toBe(row());
    document.querySelector('ul')!.innerHTML = '';
    nextFrame();
    nextFrame();
    expect(document.activeElement).toBe(heading());
  });

  it('leaves focus to the screen whose control went, when it places focus itself within a frame', () => {
    addRow();
    row()!.focus();
    rescueFocus(heading, 1000);
    nextFrame();
    let headingFocused = 0;
    heading()!.addEventListener('focus', () => headingFocused++);
    document.querySelector('ul')!.innerHTML = '';
    nextFrame();
    document.querySelector<HTMLElement>('#search')!.focus();
    nextFrame();
    expect(document.activeElement?.id).toBe('search');
    // Not read first on its way there.
    expect(headingFocused).toBe(0);
  });

  it('leaves focus on the page when the volunteer clicks blank space, the control that held it still there', () => {
    addRow();
    row()!.focus();
    rescueFocus(heading, 1000);
    nextFrame();
    row()!.blur();
    nextFrame();
    expect(document.activeElement).toBe(document.body);
    expect(frames).toHaveLength(0);
  });

  it('holds focus on the heading, then moves it to the preferred row once the row is there', () => {
    rescueFocus(heading, 1000, row);
    nextFrame();
    expect(document.activeElement).toBe(heading());
    nextFrame();
    addRow();
    nextFrame();
    expect(document.activeElement).toBe(row());
    expect(frames).toHaveLength(0);
  });

  it('does not take focus back when the volunteer moved it while the row was late', () => {
    rescueFocus(heading, 1000, row);
    nextFrame();
    document.querySelector<HTMLElement>('#search')!.focus();
    addRow();
    nextFrame();
    expect(document.activeElement?.id).toBe('search');
  });

  it('keeps trying for a target that renders late', () => {
    document.body.innerHTML = '<main></main>';
    rescueFocus(() => document.querySelector<HTMLElement>('main h1'));
    nextFrame();
    expect(document.activeElement).toBe(document.body);
    document.querySelector('main')!.innerHTML = '<h1>Thread</h1>';
    nextFrame();
    expect(document.activeElement).toBe(document.querySelector('main h1'));
  });

  it('leaves focus on the page when the volunteer clicks blank space while the row is late', () => {
    rescueFocus(heading, 1000, row);
    nextFrame();
    expect(document.activeElement).toBe(heading());
    heading()!.blur();
    addRow();
    nextFrame();
    expect(document.activeElement).toBe(document.body);
    expect(frames).toHaveLength(0);
  });

  it('places focus again when the heading it placed is rendered anew', () => {
    rescueFocus(heading, 1000, row);
    nextFrame();
    document.body.innerHTML = '<h1>Inbox</h1><ul></ul>';
    nextFrame();
    expect(document.activeElement).toBe(heading());
  });

  it('stops trying after the given time', () => {
    rescueFocus(heading, 100, row);
    for (let i = 0; i < 8; i++) nextFrame();
    expect(frames).toHaveLength(0);
    addRow();
    nextFrame();
    expect(document.activeElement).toBe(heading());
  });

  it('goes on waiting for the row however few frames the time allowed', () => {
    rescueFocus(heading, 1000, row);
    nextFrame();
    now += 900; // a busy machine: one slow frame
    nextFrame();
    addRow();
    nextFrame();
    expect(document.activeElement).toBe(row());
  });
});

describe('focusWhenDrawn', () => {
  const list = () => document.querySelector<HTMLElement>('ul');

  it('focuses the row once it is drawn, frames later, though focus fell to the page meanwhile', () => {
    focusWhenDrawn(row, list);
    nextFrame();
    expect(document.activeElement).toBe(document.body);
    addRow();
    nextFrame();
    expect(row()).toHaveFocus();
  });

  it('stops when the volunteer puts focus somewhere else while the row is late', () => {
    focusWhenDrawn(row, list);
    nextFrame();
    document.querySelector<HTMLElement>('#search')!.focus();
    addRow();
    nextFrame();
    expect(document.querySelector('#search')).toHaveFocus();
  });

  it('gives up after the time it was given', () => {
    focusWhenDrawn(row, list, 100);
    for (let i = 0; i < 8; i++) nextFrame();
    addRow();
    nextFrame();
    expect(document.activeElement).toBe(document.body);
  });
});
