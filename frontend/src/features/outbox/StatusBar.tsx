import { Link, useNavigate, useParams } from 'react-router';
import { useSignOut, useStatus } from '../session/hooks';
import { errorMessage } from '../../lib/format';
import { ConnectionStatus } from './ConnectionStatus';
import { useNotices } from './notices';

/** The window's footer: connection and pending changes, the latest reply, Outbox, who is signed in. */
export function StatusBar() {
  const status = useStatus().data;
  const signOut = useSignOut();
  const { lastReply } = useNotices();
  const { campaignId } = useParams();
  const navigate = useNavigate();
  return (
    <footer className="statusbar">
      <ConnectionStatus status={status} />
      <span className="live" aria-live="polite">
        {lastReply && (
          <>
            {lastReply.reassigned
              ? `${lastReply.reassignedBy || 'A volunteer'} reassigned ${lastReply.contactName || lastReply.contactPhone || 'a conversation'} to you`
              : `New reply from ${lastReply.contactName || lastReply.contactPhone || 'a contact'}`}
            {campaignId && (
              <>
                {' '}
                <Link className="link" to={`/c/${campaignId}/thread/${lastReply.threadId}`}>
                  Open
                </Link>
              </>
            )}
          </>
        )}
      </span>
      <span className="spacer" />
      {signOut.isError && <span className="error-text">{errorMessage(signOut.error)}</span>}
      {campaignId && (
        <Link className="link" to={`/c/${campaignId}/outbox`}>
          Outbox
        </Link>
      )}
      {status?.demo && <span className="badge">Demo</span>}
      {status?.user && <span className="muted">{status.user.name}</span>}
      <button type="button" onClick={() => navigate('/settings')}>
        Settings
      </button>
      <button type="button" className="link" onClick={() => signOut.mutate()}>
        Sign out
      </button>
    </footer>
  );
}
