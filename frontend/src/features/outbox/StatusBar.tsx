import { Link, useNavigate, useParams } from 'react-router';
import { useSignOut, useStatus } from '../session/hooks';
import { errorMessage } from '../../lib/format';
import { ConnectionStatus } from './ConnectionStatus';
import { useNotices } from './notices';
import { useShortcutSheet } from '../shortcuts/Shortcuts';

/** The window's footer: connection and pending changes, the latest reply, Outbox, who is signed in. */
export function StatusBar() {
  const status = useStatus().data;
  const signOut = useSignOut();
  const { lastReply } = useNotices();
  const { campaignId } = useParams();
  const navigate = useNavigate();
  const showShortcuts = useShortcutSheet();
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
                <Link className="quiet" to={`/c/${campaignId}/thread/${lastReply.threadId}`}>
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
        <button type="button" className="quiet" onClick={() => navigate(`/c/${campaignId}/outbox`)}>
          Outbox
        </button>
      )}
      {status?.demo && <span className="badge">Demo</span>}
      {status?.user && <span className="muted">{status.user.name}</span>}
      <button type="button" className="quiet" onClick={showShortcuts} aria-keyshortcuts="?" title="Keyboard shortcuts (?)">
        Shortcuts
      </button>
      <button type="button" className="quiet" onClick={() => navigate('/settings')}>
        Settings
      </button>
      <button type="button" className="quiet" onClick={() => signOut.mutate()}>
        Sign out
      </button>
    </footer>
  );
}
