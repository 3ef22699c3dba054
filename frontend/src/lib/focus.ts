import { useCallback, useEffect, useRef, type RefObject } from 'react';

/**
 * Where the keyboard goes when a screen changes and the control that had
 * focus went away with the old screen (the browser then leaves focus on the
 * page body, and a keyboard or screen-reader user has to start again from the
 * top). The new pane renders after its data arrives, so this keeps trying for
 * up to `withinMs` (a time, not a count of frames: a busy machine draws fewer
 * frames while its fetches take longer). A control that has focus keeps it;
 * but should it leave the page in that time, taking focus with it (the row
 * that opened a conversation from Unread, which reading it takes out of that
 * list), focus goes to the target then. Focus on the page while that control
 * is still there is the volunteer's doing (a click on blank space): left there.
 *
 * Focus placed on a target that then leaves the page (replaced by the
 * pane the route names) goes to the target again, within the same time.
 *
 * With `preferred`, focus goes where `targets` says at once and moves on to
 * `preferred`'s element when that appears in that time (a list row that
 * is still being fetched), unless focus moved elsewhere meanwhile: the
 * keyboard is never left on the body while waiting for the better place.
 *
 * With `scroll` false, focus goes there without scrolling it into view: a
 * conversation's heading, in the one-column layout scrolled above the latest
 * message it opens at (MessageList), which the focus would scroll away.
 */
export function rescueFocus(
  targets: () => HTMLElement | null,
  withinMs = 3000,
  preferred?: () => HTMLElement | null,
  scroll = true,
): () => void {
  let frame = 0;
  const until = performance.now() + withinMs;
  let placed: HTMLElement | null = null;
  // The control that held focus when last seen, other than one placed here; whether it was seen gone.
  let holder: Element | null = null;
  let gone = false;
  const step = () => {
    const active = document.activeElement;
    // Once placed, focus moved anywhere else (the page itself, by a click
    // on blank space) is the volunteer's doing, unless the placed element
    // left the page with a re-render.
    if (placed && placed.isConnected && active !== placed) return;
    const held = active && active !== document.body && active.isConnected;
    if (held && active !== placed) {
      holder = active;
      gone = false;
      if (performance.now() < until) frame = requestAnimationFrame(step);
      return;
    }
    if (!held && holder?.isConnected) return;
    // Gone, it gets a frame's grace: the screen that took it away may place focus itself (E on a
    // row: the next row, once the list has drawn without it), and the heading would be read first.
    if (!held && holder && !gone) {
      gone = true;
      if (performance.now() < until) frame = requestAnimationFrame(step);
      return;
    }
    const best = preferred?.();
    if (best && place(best, scroll)) return;
    // Placed, it keeps watching: the target can be a pane's heading that a
    // pane still on its way replaces (a lazy screen's code arriving after
    // the old pane's heading took focus), and then takes focus again.
    if (!held) {
      const el = targets();
      if (el && place(el, scroll)) placed = el;
    }
    if (performance.now() < until) frame = requestAnimationFrame(step);
  };
  frame = requestAnimationFrame(step);
  return () => cancelAnimationFrame(frame);
}

/**
 * Focuses what `find` gives once it is drawn: a row a virtualised list scrolls to is drawn a
 * render after the scroll lands, on a busy machine frames later, and the row that had focus may
 * leave the page meanwhile (the keyboard then on the page body, where the list's keys do
 * nothing). Tries for up to `withinMs`; stops when focus goes anywhere new outside `box` (the
 * volunteer's doing: J pressed in the conversation still brings focus to the row). Call the
 * returned function to stop it (the next key's own move).
 */
export function focusWhenDrawn(find: () => HTMLElement | null, box: () => HTMLElement | null, withinMs = 1000): () => void {
  let frame = 0;
  const until = performance.now() + withinMs;
  const from = document.activeElement;
  const step = () => {
    const active = document.activeElement;
    if (active && active !== from && active !== document.body && !box()?.contains(active)) return;
    const el = find();
    el?.focus();
    if (el && document.activeElement === el) return;
    if (performance.now() < until) frame = requestAnimationFrame(step);
  };
  step();
  return () => cancelAnimationFrame(frame);
}

function place(el: HTMLElement, scroll: boolean): boolean {
  if (!el.hasAttribute('tabindex') && el.tabIndex < 0) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: !scroll });
  return document.activeElement === el;
}

/**
 * A Dismiss goes with its item, and the keyboard with it: on to the button
 * now in its place (else the last one left) in `box`, else to `fallback`,
 * never to the page. `ids` names the items on screen; call the returned
 * function with the item's place as it is dismissed.
 */
export function useFocusAfterDismiss(
  ids: string,
  box: RefObject<HTMLElement | null>,
  fallback: () => HTMLElement | null,
): (at: number) => void {
  const dismissedAt = useRef(-1);
  const fallbackNow = useRef(fallback);
  fallbackNow.current = fallback;
  useEffect(() => {
    const at = dismissedAt.current;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (at < 0 || !lost) return;
    dismissedAt.current = -1;
    const buttons = box.current?.querySelectorAll<HTMLButtonElement>('button') ?? [];
    const next = buttons[Math.min(at, buttons.length - 1)] ?? fallbackNow.current();
    if (next && !next.hasAttribute('tabindex') && next.tabIndex < 0) next.setAttribute('tabindex', '-1');
    next?.focus();
  }, [ids, box]);
  return useCallback((at: number) => {
    dismissedAt.current = at;
  }, []);
}
