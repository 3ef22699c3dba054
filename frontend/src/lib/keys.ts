/**
 * True when a key press is the volunteer typing (in a field) or a chord with
 * Ctrl, Alt or Meta: single-letter shortcuts leave those alone.
 */
export function notAShortcut(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || e.repeat) return true;
  const t = e.target;
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  return t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}
