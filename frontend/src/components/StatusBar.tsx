import type { Status } from '../backend';

interface StatusBarProps {
  status: Status | null;
  lastReply: string;
  onOutbox?: () => void;
  onSignOut: () => void;
}

/** Connection, what is still waiting to be sent, and who is signed in. */
export function StatusBar({ status, lastReply, onOutbox, onSignOut }: StatusBarProps) {
  const online = status?.online ?? true;
  const pending = status?.pending ?? 0;
  return (
    <footer className="statusbar">
      <span className={`connection ${online ? 'online' : 'offline'}`} role="status">
        <span className="dot" aria-hidden="true" />
        {online ? 'Online' : 'Offline — changes will be sent when the connection returns'}
      </span>
      {pending > 0 && <span className="pending">{pending} pending</span>}
      {status?.lastError && <span className="error-text sync-error">Sync error: {status.lastError}</span>}
      <span className="live" aria-live="polite">
        {lastReply}
      </span>
      <span className="spacer" />
      {onOutbox && (
        <button type="button" className="link" onClick={onOutbox}>
          Outbox
        </button>
      )}
      {status?.demo && <span className="badge">Demo</span>}
      {status?.user && <span className="muted">{status.user.name}</span>}
      <button type="button" className="link" onClick={onSignOut}>
        Sign out
      </button>
    </footer>
  );
}
