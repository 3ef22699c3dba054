import { notAShortcut } from './keys';

/** A key pressed with focus on el, as the window's listener sees it. */
function pressOn(el: HTMLElement, key = 'e'): KeyboardEvent {
  document.body.append(el);
  let seen: KeyboardEvent | undefined;
  const listen = (e: KeyboardEvent) => (seen = e);
  window.addEventListener('keydown', listen);
  el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  window.removeEventListener('keydown', listen);
  el.remove();
  return seen!;
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
