/**
 * True when a key press is the volunteer typing (in a field), a chord with
 * Ctrl, Alt or Meta, or inside a modal dialog (E must not archive the thread
 * behind the report form): single-letter shortcuts leave those alone.
 */
export function notAShortcut(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || e.repeat) return true;
  const t = e.target;
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t.closest('[aria-modal="true"]')) return true;
  return t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}
