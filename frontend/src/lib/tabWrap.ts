import { useEffect } from 'react';

// What Tab stops on: controls, links, a details' summary, anything given tabindex 0 (the list's row).
const candidates = 'a[href], button, input, select, textarea, summary, [tabindex]';

/** A Tab stop: enabled, not tabindex -1, drawn (not in a folded sidebar), not inert. */
function isStop(el: Element): el is HTMLElement {
  return (
    el instanceof HTMLElement &&
    el.matches(candidates) &&
    el.tabIndex >= 0 &&
    !(el as HTMLButtonElement).disabled &&
    !(el instanceof HTMLInputElement && el.type === 'hidden') &&
    !el.closest('[inert]') &&
    el.getClientRects().length > 0
  );
}

/**
 * The window's first or last Tab stop in document order, looked for from that end: a press
 * decides from the few elements there. Listing every stop of the window on each press took
 * 0.1-0.6 ms in WebKitGTK with the inbox shown (376 elements) and 2-7 ms in Chromium with a
 * 500-message conversation open, growing with the page; from the ends it is under 0.1 ms
 * (PERFORMANCE-LOG.md, "Tab at the window's ends").
 */
function edgeStop(end: 'first' | 'last', root: Node = document.body): HTMLElement | undefined {
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
  if (end === 'first') {
    for (let n = walk.nextNode(); n; n = walk.nextNode()) if (isStop(n as Element)) return n as HTMLElement;
    return undefined;
  }
  while (walk.lastChild()) {
    // down to the last element in document order
  }
  for (let n: Node | null = walk.currentNode; n && n !== root; n = walk.previousNode()) if (isStop(n as Element)) return n as HTMLElement;
  return undefined;
}

/**
 * Tab on the window's last control comes round to its first, and Shift+Tab on the first to the
 * last, as in a native window: the web view is all the window has (no menu bar, no other
 * control), yet Tab past Sign out took focus out of it for one press in WebKitGTK (nothing on
 * screen focused, nothing said), and WebView2 can keep it in its host window
 * (wailsapp/wails#3783). Screen readers follow focus, so they hear the first control next, as
 * after any Tab. A dialog keeps Tab inside itself (Modal, which prevents the default first).
 */
export function onWindowTab(e: KeyboardEvent): void {
  if (!isTab(e) || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
  if (document.querySelector('[aria-modal="true"]')) return;
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || active === document.body) return;
  const [from, to] = e.shiftKey ? (['first', 'last'] as const) : (['last', 'first'] as const);
  if (active !== edgeStop(from)) return;
  const next = edgeStop(to);
  if (!next || next === active) return;
  e.preventDefault();
  next.focus();
}

/** Tab, or Shift+Tab, which WebKitGTK names "Unidentified" (GTK's ISO_Left_Tab) on the Tab key. */
export function isTab(e: Pick<KeyboardEvent, 'key' | 'code'>): boolean {
  return e.key === 'Tab' || (e.key === 'Unidentified' && e.code === 'Tab');
}

/** The window's Tab wraps round (onWindowTab) for as long as the app is shown. */
export function useTabWrap(): void {
  useEffect(() => {
    window.addEventListener('keydown', onWindowTab);
    return () => window.removeEventListener('keydown', onWindowTab);
  }, []);
}
