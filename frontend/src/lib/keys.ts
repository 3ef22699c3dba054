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
 * Alt+Left and Alt+Right move through the window's history: step is -1 (back), 1 (forward), or 0
 * when the keys are not for that. Not in a field one types in (a reply half written would be
 * lost with its page, and on a Mac Option+Left moves the caret by a word), nor in a dialog (the
 * report form behind Back would close unsaved). On a choice (a radio, a closed select) stop is
 * true: WebKitGTK takes Alt+Left there as Left and picks the choice beside it (Settings' Text
 * size stepped to the size before on the way back), so the caller prevents that default, in a dialog
 * too, where the keys go nowhere.
 */
export function historyStep(e: KeyboardEvent): { step: -1 | 0 | 1; stop: boolean } {
  const none = { step: 0, stop: false } as const;
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) return none;
  if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return none;
  const step = e.key === 'ArrowLeft' ? -1 : 1;
  const t = e.target;
  if (!(t instanceof HTMLElement)) return { step, stop: true };
  const choice = t.tagName === 'SELECT' || (t instanceof HTMLInputElement && choiceInputs.has(t.type));
  if (t.isContentEditable || t.tagName === 'TEXTAREA' || (t instanceof HTMLInputElement && !choice)) return none;
  if (t.closest('[aria-modal="true"]')) return { step: 0, stop: choice };
  return { step, stop: true };
}

/**
 * The names of the chord keys as the volunteer's keyboard prints them: a Mac's say Cmd and
 * Option where others say Ctrl and Alt (Cmd+Enter sends a reply as Ctrl+Enter does, and Option
 * is the key that sets altKey). Read at each call, not once at load, so a test can be a Mac.
 */
export function keyNames(): { mod: string; alt: string } {
  const mac = /^Mac/.test(navigator.platform) || /Mac OS X/.test(navigator.userAgent);
  return mac ? { mod: 'Cmd', alt: 'Option' } : { mod: 'Ctrl', alt: 'Alt' };
}
