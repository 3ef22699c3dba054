import { useEffect, useState } from 'react';

/**
 * What a pane shows while its screen's code loads (the first opening of a
 * lazy screen, before the background prefetch has brought it): nothing for
 * the first quarter second, so a quick load does not flash, then a quiet
 * line a screen reader also hears.
 */
export function PaneLoading({ delayMs = 250 }: { delayMs?: number }) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const t = window.setTimeout(() => setShown(true), delayMs);
    return () => window.clearTimeout(t);
  }, [delayMs]);
  if (!shown) return null;
  return (
    <div className="center" role="status">
      <p className="muted">Opening…</p>
    </div>
  );
}
