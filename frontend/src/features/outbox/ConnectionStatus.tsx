import type { Status } from '../../backend';
import { plural } from '../../lib/format';

type Connection = 'online' | 'offline' | 'connecting';

function connectionOf(s: Status | undefined): Connection {
  const c = s?.connection;
  if (c === 'online' || c === 'offline' || c === 'connecting') return c;
  return s?.online === false ? 'offline' : 'online';
}

const words: Record<Connection, string> = { online: 'Online', offline: 'Offline', connecting: 'Connecting…' };

/**
 * The connection and what is still waiting to reach the server, in one line.
 * The Go side's problem sentence is already in a volunteer's words; its raw
 * error (lastError) is for the log and never shown.
 */
export function ConnectionStatus({ status }: { status: Status | undefined }) {
  const connection = connectionOf(status);
  const pending = status?.pending ?? 0;
  const problem = status?.problem ?? '';
  let waiting = '';
  if (pending > 0)
    waiting =
      connection === 'online'
        ? `${plural(pending, 'change')} sending`
        : `${plural(pending, 'change')} saved, sent when you are back online`;
  const line = [words[connection], waiting, problem].filter(Boolean).join(' · ');
  return (
    <span className={`connection ${connection}`} role="status" title={line}>
      <span className="dot" aria-hidden="true" />
      <span className="connection-text">{line}</span>
    </span>
  );
}
