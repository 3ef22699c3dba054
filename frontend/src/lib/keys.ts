/**
 * True when a key press is the volunteer typing (in a field), a chord with
 * Ctrl, Alt or Meta, or inside a modal dialog (E must not archive the thread
 * behind the report form) or an open menu (Follow Up's: a letter there is
 * aimed at the menu, not at the conversation behind it): single-letter
 * shortcuts leave those alone.
 */
export function notAShortcut(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || e.repeat) return true;
  const t = e.target;
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t.closest('[aria-modal="true"], [role="menu"]')) return true;
  return t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}
