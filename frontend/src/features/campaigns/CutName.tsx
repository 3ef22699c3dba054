import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/**
 * The campaign switcher, with its chosen name whole in a tooltip when the
 * button cuts it with an ellipsis beside the arrow. The tooltip is the
 * wrapper's title, not the button's: a control's title is its accessible
 * description, and a screen reader read the name twice (its name, then the
 * same words again). Browsers show the nearest ancestor's title on hover;
 * screen readers do not read a generic wrapper's. A name that fits has no
 * tooltip: it would only repeat what shows.
 */
export function CutName({ name, children }: { name: string; children: ReactNode }) {
  const box = useRef<HTMLSpanElement>(null);
  const text = useRef<HTMLSpanElement>(null);
  const [cut, setCut] = useState(false);
  useLayoutEffect(() => {
    const control = box.current?.querySelector('button');
    const words = text.current;
    if (!control || !words) return;
    const check = () => {
      const style = getComputedStyle(control);
      const room = control.clientWidth - (parseFloat(style.paddingLeft) || 0) - (parseFloat(style.paddingRight) || 0);
      // 1px: sub-pixel layout must not make a name that fits count as cut.
      setCut(words.offsetWidth > room + 1);
    };
    check();
    // The sidebar's width follows Settings → Text size and the window.
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(check);
    observer.observe(control);
    return () => observer.disconnect();
  }, [name]);
  return (
    <span ref={box} className="cut-name" title={cut ? name : undefined}>
      {children}
      {/* The name as the button draws it, unbounded, to measure (hidden, in a box of no size). */}
      <span className="cut-name-measure" aria-hidden="true">
        <span ref={text}>{name}</span>
      </span>
    </span>
  );
}
