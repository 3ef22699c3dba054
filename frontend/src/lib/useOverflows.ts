import { useLayoutEffect, useState, type RefObject } from 'react';

/**
 * Whether `box` is shorter than its content: it scrolls, or its text is
 * clamped. `content`, its one child if it has one, is observed as well:
 * content that grows in a box held at its size (a short window) resizes
 * only the content. `deps`: what changes the text of a box without a child.
 * `sideways`: a line cut at its end (an ellipsis) counts too.
 */
export function useOverflows(
  box: RefObject<HTMLElement | null>,
  content?: RefObject<HTMLElement | null>,
  deps: unknown[] = [],
  sideways = false,
): boolean {
  const [overflows, setOverflows] = useState(false);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    // 1px: sub-pixel layout must not make a box that fits count as overflowing.
    const check = () => setOverflows(el.scrollHeight > el.clientHeight + 1 || (sideways && el.scrollWidth > el.clientWidth + 1));
    const observer = new ResizeObserver(check);
    observer.observe(el);
    if (content?.current) observer.observe(content.current);
    check();
    return () => observer.disconnect();
    // deps: the caller's, as in useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [box, content, sideways, ...deps]);
  return overflows;
}
