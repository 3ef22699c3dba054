/**
 * The keys of an open menu (WAI-ARIA menu button pattern), one home for every menu of the app
 * (Follow Up, the campaign switcher): Down and Up move to the next and previous item, wrapping
 * round; Home and End to the first and last; Esc closes it (close puts focus back on its button).
 * Enter and Space are each item's own, as what they do differs. Any other key is left alone.
 */
export function onMenuKey(e: Pick<KeyboardEvent, 'key' | 'preventDefault'>, menu: HTMLElement | null, close: () => void): void {
  const items = menuItems(menu);
  const i = items.indexOf(document.activeElement as HTMLElement);
  let to: HTMLElement | undefined;
  if (e.key === 'ArrowDown') to = items[(i + 1) % items.length];
  else if (e.key === 'ArrowUp') to = items[(i - 1 + items.length) % items.length];
  else if (e.key === 'Home') to = items[0];
  else if (e.key === 'End') to = items[items.length - 1];
  else if (e.key !== 'Escape') return;
  e.preventDefault();
  if (e.key === 'Escape') close();
  else to?.focus();
}

/** A menu's items, whichever kind (menuitem, menuitemradio, menuitemcheckbox), in their order. */
export function menuItems(menu: HTMLElement | null): HTMLElement[] {
  return Array.from(menu?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? []);
}

/**
 * The menu's onMouseMove: the item under the pointer takes focus, as a desktop menu's does, so one
 * item is highlighted (not one by the pointer and another by the keys) and the arrows go on from it.
 */
export function focusItemUnderPointer(e: { target: EventTarget }): void {
  const item = e.target instanceof Element ? e.target.closest<HTMLElement>('[role^="menuitem"]') : null;
  if (item && item !== document.activeElement) item.focus();
}
