/**
 * True when a key press is the volunteer typing (in a field), a chord with
 * Ctrl, Alt or Meta, or inside a modal dialog (E must not archive the conversation
 * behind the report form) or an open menu (Follow Up's: a letter there is
 * aimed at the menu, not at the conversation behind it): single-letter
 * shortcuts leave those alone.
 */
export function notAShortcut(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || e.repeat) return true;
  const t = e.target;
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t.closest('[aria-modal="true"], [role="menu"]')) return true;
  // A switch or a radio takes no letters: P, F, E and R work from one as from a button.
  if (t instanceof HTMLInputElement) return !choiceInputs.has(t.type);
  return t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}

/** Input types one types nothing in: their keys are a choice (a radio's Left picks the one before) or a press. */
const choiceInputs = new Set(['checkbox', 'radio', 'button', 'submit', 'reset']);

/**
 * Alt+Left and Alt+Right move through the window's history: -1 (back), 1 (forward), or 0 when
 * the keys are not for that. Not in a field one types in (a reply half written would be lost
 * with its page, and on a Mac Option+Left moves the caret by a word), nor in a dialog (the
 * report form behind Back would close unsaved). On a radio they are Back and Forward, and the
 * caller prevents the default, which would also pick the radio beside it.
 */
export function historyStep(e: KeyboardEvent): -1 | 0 | 1 {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) return 0;
  if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return 0;
  const t = e.target;
  if (t instanceof HTMLElement) {
    if (t.isContentEditable || t.closest('[aria-modal="true"]')) return 0;
    if (t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return 0;
    if (t instanceof HTMLInputElement && !choiceInputs.has(t.type)) return 0;
  }
  return e.key === 'ArrowLeft' ? -1 : 1;
}
