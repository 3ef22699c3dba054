/**
 * Where the keyboard goes when a screen changes and the control that had
 * focus went away with the old screen (the browser then leaves focus on the
 * page body, and a keyboard or screen-reader user has to start again from the
 * top). The new pane renders after its data arrives, so this keeps trying for
 * up to `withinMs` (a time, not a count of frames: a busy machine draws fewer
 * frames while its fetches take longer); it gives up as soon as something
 * else has focus.
 *
 * With `preferred`, focus goes where `targets` says at once and moves on to
 * `preferred`'s element when that appears in that time (a list row that
 * is still being fetched), unless focus moved elsewhere meanwhile: the
 * keyboard is never left on the body while waiting for the better place.
 */
export function rescueFocus(
  targets: () => HTMLElement | null,
  withinMs = 3000,
  preferred?: () => HTMLElement | null,
): () => void {
  let frame = 0;
  const until = performance.now() + withinMs;
  let placed: HTMLElement | null = null;
  const step = () => {
    const active = document.activeElement;
    // Once placed, focus moved anywhere else (the page itself, by a click
    // on blank space) is the volunteer's doing, unless the placed element
    // left the page with a re-render.
    if (placed && placed.isConnected && active !== placed) return;
    const held = active && active !== document.body && active.isConnected;
    if (held && active !== placed) return;
    const best = preferred?.();
    if (best && place(best)) return;
    if (!held) {
      const el = targets();
      if (el && place(el)) {
        placed = el;
        if (!preferred) return;
      }
    }
    if (performance.now() < until) frame = requestAnimationFrame(step);
  };
  frame = requestAnimationFrame(step);
  return () => cancelAnimationFrame(frame);
}

function place(el: HTMLElement): boolean {
  if (!el.hasAttribute('tabindex') && el.tabIndex < 0) el.setAttribute('tabindex', '-1');
  el.focus();
  return document.activeElement === el;
}
