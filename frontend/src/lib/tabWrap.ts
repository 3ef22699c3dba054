import { useEffect } from 'react';

// What Tab stops on: controls, links, a details' summary, anything given tabindex 0 (the list's row).
const candidates = 'a[href], button, input, select, textarea, summary, [tabindex]';

/** The window's Tab stops in document order: enabled, not tabindex -1, drawn (not in a folded sidebar), not inert. */
export function tabStops(root: ParentNode = document): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(candidates)).filter(
    (el) =>
      el.tabIndex >= 0 &&
      !(el as HTMLButtonElement).disabled &&
      !(el instanceof HTMLInputElement && el.type === 'hidden') &&
      !el.closest('[inert]') &&
      el.getClientRects().length > 0,
  );
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
  const stops = tabStops();
  const to = e.shiftKey ? (active === stops[0] ? stops[stops.length - 1] : undefined) : active === stops[stops.length - 1] ? stops[0] : undefined;
  if (!to || to === active) return;
  e.preventDefault();
  to.focus();
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
