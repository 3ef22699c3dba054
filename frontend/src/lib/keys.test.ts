import { historyStep, notAShortcut } from './keys';

/** A key pressed with focus on el, as the window's listener sees it. */
function pressOn(el: HTMLElement, key = 'e', init: KeyboardEventInit = {}): KeyboardEvent {
  const top = el.parentElement ?? el;
  document.body.append(top);
  let seen: KeyboardEvent | undefined;
  const listen = (e: KeyboardEvent) => (seen = e);
  window.addEventListener('keydown', listen);
  el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ...init }));
  window.removeEventListener('keydown', listen);
  top.remove();
  return seen!;
}

function inDialog(el: HTMLElement): HTMLElement {
  const dialog = document.createElement('div');
  dialog.setAttribute('aria-modal', 'true');
  dialog.append(el);
  return el;
}

function input(type: string): HTMLInputElement {
  const el = document.createElement('input');
  el.type = type;
  return el;
}

describe('notAShortcut', () => {
  // A switch (Settings, the inbox's Automatic Archive) or a radio takes no letters: with one
  // focused, P, F, E and R still do what they do from anywhere else.
  it.each(['checkbox', 'radio', 'button', 'submit'])('a letter on a %s input is a shortcut', (type) => {
    expect(notAShortcut(pressOn(input(type)))).toBe(false);
  });

  it.each(['text', 'search', 'email', 'url', 'number', 'password'])('a letter in a %s field is typing', (type) => {
    expect(notAShortcut(pressOn(input(type)))).toBe(true);
  });

  it('a letter in a text area or a select is typing (a select jumps to the choice it starts)', () => {
    expect(notAShortcut(pressOn(document.createElement('textarea')))).toBe(true);
    expect(notAShortcut(pressOn(document.createElement('select')))).toBe(true);
  });

  it('a switch inside a dialog still leaves the letters to the dialog', () => {
    const dialog = document.createElement('div');
    dialog.setAttribute('aria-modal', 'true');
    const radio = input('radio');
    dialog.append(radio);
    document.body.append(dialog);
    let seen: KeyboardEvent | undefined;
    const listen = (e: KeyboardEvent) => (seen = e);
    window.addEventListener('keydown', listen);
    radio.dispatchEvent(new KeyboardEvent('keydown', { key: 'e', bubbles: true }));
    window.removeEventListener('keydown', listen);
    dialog.remove();
    expect(notAShortcut(seen!)).toBe(true);
  });
});

describe('historyStep', () => {
  const altLeft = (el: HTMLElement) => historyStep(pressOn(el, 'ArrowLeft', { altKey: true }));

  // WebKitGTK takes Alt+Left on a closed select or a radio as Left: without the default stopped,
  // Back also picked the choice beside it (Settings' Text size stepped to the size before).
  it.each([
    ['a select', () => document.createElement('select')],
    ['a radio', () => input('radio')],
  ])('on %s it is Back, and the choice keeps its value', (_, make) => {
    expect(altLeft(make())).toEqual({ step: -1, stop: true });
  });

  it('on a choice in a dialog it goes nowhere and still changes no choice', () => {
    expect(altLeft(inDialog(document.createElement('select')))).toEqual({ step: 0, stop: true });
    expect(altLeft(inDialog(input('radio')))).toEqual({ step: 0, stop: true });
  });

  it('in a text box, a text area or a dialog it is the control\'s own', () => {
    expect(altLeft(input('text'))).toEqual({ step: 0, stop: false });
    expect(altLeft(document.createElement('textarea'))).toEqual({ step: 0, stop: false });
    expect(altLeft(inDialog(document.createElement('button')))).toEqual({ step: 0, stop: false });
  });

  it('on a button it is Back and Alt+Right Forward', () => {
    expect(altLeft(document.createElement('button'))).toEqual({ step: -1, stop: true });
    expect(historyStep(pressOn(document.createElement('button'), 'ArrowRight', { altKey: true }))).toEqual({ step: 1, stop: true });
  });
});
