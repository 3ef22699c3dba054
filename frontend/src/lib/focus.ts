/**
 * Where the keyboard goes when a screen changes and the control that had
 * focus went away with the old screen (the browser then leaves focus on the
 * page body, and a keyboard or screen-reader user has to start again from the
 * top). The new pane renders after its data arrives, so this keeps trying for
 * a moment; it gives up as soon as something else has focus.
 */
export function rescueFocus(targets: () => HTMLElement | null, tries = 60): () => void {
  let frame = 0;
  let left = tries;
  const step = () => {
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    const el = targets();
    if (el) {
      if (!el.hasAttribute('tabindex') && el.tabIndex < 0) el.setAttribute('tabindex', '-1');
      el.focus();
      if (document.activeElement === el) return;
    }
    if (--left > 0) frame = requestAnimationFrame(step);
  };
  frame = requestAnimationFrame(step);
  return () => cancelAnimationFrame(frame);
}
