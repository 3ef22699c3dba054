import { useCallback, useLayoutEffect, useRef, type Ref, type TextareaHTMLAttributes } from 'react';

interface GrowingTextareaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  /** The tallest it grows, in lines of its text; past that it scrolls. */
  maxLines?: number;
  ref?: Ref<HTMLTextAreaElement>;
}

/**
 * A textarea that grows with what is in it, up to maxLines, as a
 * messenger's box does: a note or reply longer than its first rows is read
 * whole before it is sent, not through a two-line slot scrolled to its end.
 * A height the user drags holds until the text next changes.
 */
export function GrowingTextarea({ maxLines = 8, ref, value, ...rest }: GrowingTextareaProps) {
  const own = useRef<HTMLTextAreaElement | null>(null);
  const setRef = useCallback(
    (el: HTMLTextAreaElement | null) => {
      own.current = el;
      if (typeof ref === 'function') ref(el);
      else if (ref) ref.current = el;
    },
    [ref],
  );
  useLayoutEffect(() => {
    const el = own.current;
    if (!el) return;
    el.style.height = ''; // back to its rows, to measure the text against them
    const content = el.scrollHeight; // the text and the padding (0 where nothing is laid out)
    if (content <= el.clientHeight) return;
    const style = getComputedStyle(el);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    const borders = el.offsetHeight - el.clientHeight; // border-box: the height counts them
    el.style.height = `${Math.min(content, line * maxLines + padding) + borders}px`;
  }, [value, maxLines]);
  return <textarea ref={setRef} value={value} {...rest} />;
}
