import { useEffect, useState, type RefObject } from 'react';

/**
 * Whether the element is at least partly in view (its scroll container's or
 * the window's). True where IntersectionObserver is missing (the tests'
 * jsdom): what the caller does while on screen it then always does.
 */
export function useOnScreen(ref: RefObject<Element | null>): boolean {
  const [on, setOn] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => setOn(entries.some((e) => e.isIntersecting)));
    io.observe(el);
    return () => io.disconnect();
  }, [ref]);
  return on;
}
