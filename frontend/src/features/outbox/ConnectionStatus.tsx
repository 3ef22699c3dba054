import type { Connection, Status } from '../../backend';
import { plural } from '../../lib/format';
import { connectionOf } from './connection';

const words: Record<Connection, string> = { online: 'Online', offline: 'Offline', connecting: 'Connecting…' };

/**
 * The connection and what is still waiting to reach the server, in one short
 * line ("Offline · 3 changes waiting to send"). The Go side's problem sentence
 * is already in a volunteer's words, but when offline it says again what the
 * line says, at a length the status bar cuts: then it is the tooltip (and the
 * Outbox says it in full). Any other problem (a sign-in that expired, sync
 * trouble, a server address refused for plain http://) is news, and is on the line. A server too busy to take the
 * connection (serverBusy) is offline to sync, but the line says "Server busy" instead, the sentence (busy, Textbank
 * tries again, changes kept) its tooltip. The raw error (lastError) is for the log and never shown.
 */
export function ConnectionStatus({ status }: { status: Status | undefined }) {
  const connection = connectionOf(status);
  const pending = status?.pending ?? 0;
  const problem = status?.problem ?? '';
  let waiting = '';
  if (pending > 0) waiting = `${plural(pending, 'change')} ${connection === 'online' ? 'sending' : 'waiting to send'}`;
  // A server at its connection cap answered: it is there, only busy, and
  // sync asks again; "Offline" would send the volunteer to their Wi-Fi.
  const busy = connection === 'offline' && status?.serverBusy;
  const said = [busy ? 'Server busy' : words[connection], waiting];
  // A refused server address looks offline to sync, but the problem is what to do about it: on the line.
  if (connection !== 'offline' || status?.serverRefused) said.push(problem);
  const line = said.filter(Boolean).join(' · ');
  return (
    <span className={`connection ${connection}`} role="status" title={problem || line}>
      <span className="dot" aria-hidden="true" />
      <span className="connection-text">{line}</span>
    </span>
  );
}
