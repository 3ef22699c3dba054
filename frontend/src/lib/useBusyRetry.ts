import { useEffect, useState } from 'react';
import { on } from '../backend';

/**
 * True while a call the window waits on (pending: sign in, sign up, join, Text Again) was refused by a busy server and
 * Go is asking again (server:busy-retry), so its progress can say "Server busy, trying again" rather than look stuck.
 */
export function useBusyRetry(pending: boolean): boolean {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!pending) return;
    const off = on('server:busy-retry', () => setBusy(true));
    return () => {
      off();
      setBusy(false);
    };
  }, [pending]);
  return pending && busy;
}
