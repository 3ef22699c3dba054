import { useEffect, useState } from 'react';
import { on, type BusyCall } from '../backend';

/**
 * True while a call the window waits on (pending) was refused by a busy server and Go is asking again
 * (server:busy-retry), so its progress can say "Server busy, trying again" rather than look stuck. Go names the
 * call and its subject (key: an action's id for Text Again, a row's for Mark Reviewed), so of two calls pending at
 * once only the one being retried says so.
 */
export function useBusyRetry(pending: boolean, call: BusyCall, key = ''): boolean {
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!pending) return;
    const off = on('server:busy-retry', (r) => {
      if (r.call === call && r.key === key) setBusy(true);
    });
    return () => {
      off();
      setBusy(false);
    };
  }, [pending, call, key]);
  return pending && busy;
}
