import type { Connection, Status } from '../../backend';
import { useStatus } from '../session/hooks';

/**
 * The one answer to "is the campaign server out of reach?" (Status.connection; a status from an older
 * Go side without it, by its online flag). Every screen that words things differently offline asks
 * here, so the status bar and the screen never disagree.
 */
export function connectionOf(s: Status | undefined): Connection {
  const c = s?.connection;
  if (c === 'online' || c === 'offline' || c === 'connecting') return c;
  return s?.online === false ? 'offline' : 'online';
}

/** Whether the campaign server is out of reach now: changes wait on this computer until it is back. */
export function useOffline(): boolean {
  return connectionOf(useStatus().data) === 'offline';
}
