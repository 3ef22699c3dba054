import { Link } from 'react-router';
import { DEMO_SERVER } from '../../lib/format';
import { useStatus } from './hooks';

/**
 * Which campaign server the account is on, and, when its address is refused
 * (plain http:// to another computer), what to do instead: on sign-in and on
 * sign-up alike, since creating an account sends a password as signing in does.
 */
export function ServerLine() {
  const status = useStatus().data;
  const serverUrl = status?.serverUrl;
  return (
    <>
      {serverUrl && <p className="muted">Server: {status?.demo ? DEMO_SERVER : serverUrl}</p>}
      {/* Signing in or up would send the password in the clear: say what to do instead. */}
      {status?.serverRefused && (
        <p className="notice" role="alert">
          {status.serverRefused}{' '}
          <Link to="/settings" className="link">
            Open Settings
          </Link>
        </p>
      )}
    </>
  );
}
