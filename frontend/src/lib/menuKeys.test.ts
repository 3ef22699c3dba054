import { focusItemUnderPointer, menuItems, onMenuKey } from './menuKeys';

/** A menu of three items (with a separator between, which the keys pass over), in the page. */
function menu(role = 'menuitem'): { ul: HTMLUListElement; items: HTMLElement[] } {
  const ul = document.createElement('ul');
  ul.setAttribute('role', 'menu');
  for (const name of ['One', 'Two', 'Three']) {
    const li = document.createElement('li');
    li.setAttribute('role', role);
    li.tabIndex = -1;
    li.textContent = name;
    ul.append(li);
    if (name === 'One') {
      const sep = document.createElement('li');
      sep.setAttribute('role', 'separator');
      ul.append(sep);
    }
  }
  document.body.replaceChildren(ul);
  return { ul, items: menuItems(ul) };
}

function press(ul: HTMLElement | null, key: string, close = vi.fn()) {
  const e = { key, preventDefault: vi.fn() };
  onMenuKey(e, ul, close);
  return { prevented: e.preventDefault.mock.calls.length > 0, close };
}

describe('onMenuKey', () => {
  it.each(['menuitem', 'menuitemradio'])('finds the %s items in their order', (role) => {
    expect(menu(role).items.map((i) => i.textContent)).toEqual(['One', 'Two', 'Three']);
  });

  it('moves down and up, wrapping round at either end', () => {
    const { ul, items } = menu();
    items[0].focus();
    expect(press(ul, 'ArrowDown').prevented).toBe(true);
    expect(document.activeElement).toBe(items[1]);
    press(ul, 'ArrowDown');
    press(ul, 'ArrowDown');
    expect(document.activeElement).toBe(items[0]);
    expect(press(ul, 'ArrowUp').prevented).toBe(true);
    expect(document.activeElement).toBe(items[2]);
    press(ul, 'ArrowUp');
    expect(document.activeElement).toBe(items[1]);
  });

  it('goes to the first item on Home and the last on End', () => {
    const { ul, items } = menu('menuitemradio');
    items[1].focus();
    expect(press(ul, 'End').prevented).toBe(true);
    expect(document.activeElement).toBe(items[2]);
    expect(press(ul, 'Home').prevented).toBe(true);
    expect(document.activeElement).toBe(items[0]);
  });

  it('closes on Esc, moving nothing', () => {
    const { ul, items } = menu();
    items[1].focus();
    const { prevented, close } = press(ul, 'Escape');
    expect(prevented).toBe(true);
    expect(close).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(items[1]);
  });

  it.each(['Enter', ' ', 'Tab', 'a'])('leaves %j alone', (key) => {
    const { ul, items } = menu();
    items[1].focus();
    const { prevented, close } = press(ul, key);
    expect(prevented).toBe(false);
    expect(close).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(items[1]);
  });

  it('does nothing on a menu not drawn yet', () => {
    expect(() => press(null, 'ArrowDown')).not.toThrow();
  });
});

describe('focusItemUnderPointer', () => {
  it('moves focus to the item under the pointer, also from a part of it', () => {
    const { items } = menu();
    items[0].focus();
    const part = document.createElement('span');
    items[2].append(part);
    focusItemUnderPointer({ target: part });
    expect(document.activeElement).toBe(items[2]);
  });

  it('leaves focus where it is off the items', () => {
    const { ul, items } = menu();
    items[1].focus();
    focusItemUnderPointer({ target: ul });
    expect(document.activeElement).toBe(items[1]);
  });
});
