import type { Connection, Status } from '../../backend';
import { useStatus } from '../session/hooks';

/**
 * The one answer to "is the campaign server out of reach?" (Status.connection; while it is empty, signed
 * out or still starting, by the online flag). Every screen that words things differently offline asks
 * here (through holdupOf, which says why too), so the status bar and the screen never disagree.
 */
export function connectionOf(s: Status | undefined): Connection {
  const c = s?.connection;
  if (c === 'online' || c === 'offline' || c === 'connecting') return c;
  return s?.online === false ? 'offline' : 'online';
}

/**
 * Why the volunteer's changes wait on this computer now, in the status bar's terms: the campaign
 * server out of reach ('offline'), too busy to take the connection ('busy': sync asks again), at an
 * address Textbank will not use ('refused': the status bar and the Outbox say what to do), or reached
 * while sync keeps failing ('failing': the Outbox says why); '' while they are on their way.
 */
export type Holdup = '' | 'offline' | 'busy' | 'refused' | 'failing';

export function holdupOf(s: Status | undefined): Holdup {
  if (connectionOf(s) === 'offline') return s?.serverRefused ? 'refused' : s?.serverBusy ? 'busy' : 'offline';
  return s?.problem ? 'failing' : '';
}

export function useHoldup(): Holdup {
  return holdupOf(useStatus().data);
}

/** Why a change has not gone, after "Not sent yet: " or "Waiting to send: " ('' while it is on its way). */
export function notSentWhy(h: Holdup): string {
  switch (h) {
    case 'offline':
      return 'goes out when you are back online';
    case 'busy':
      return 'the campaign server is busy; Textbank tries again';
    case 'refused':
    case 'failing':
      return 'the Outbox says why';
    default:
      return '';
  }
}

/**
 * Why the campaign server cannot take a change now, as the start of a sentence, in the status
 * bar's terms ('' when it can): "Offline" there, "Server busy", or the refused address's fix.
 */
export function awayWords(h: Holdup): string {
  switch (h) {
    case 'offline':
      return 'You are offline';
    case 'busy':
      return 'The campaign server is busy';
    case 'refused':
      return 'Textbank will not use this server address';
    default:
      return '';
  }
}

/** The same, now, from the status. */
export function useAway(): string {
  return awayWords(useHoldup());
}
