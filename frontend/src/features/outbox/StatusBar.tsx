import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useIsAdmin } from '../admin/hooks';
import { useStatus } from '../session/hooks';
import { SignOut } from '../session/SignOut';
import { ConnectionStatus } from './ConnectionStatus';
import { useOutbox } from './hooks';
import { useNotices } from './notices';
import { useShortcutSheet } from '../shortcuts/Shortcuts';

/** The window's footer: connection and pending changes, the latest reply, Outbox, who is signed in. */
export function StatusBar() {
  const status = useStatus().data;
  const { lastReply } = useNotices();
  // Counts the notices: each one's words enter the live region anew (below), so a second reply from
  // the same contact, the same words, is read too (a region whose text does not change is not).
  const [notice, setNotice] = useState({ of: lastReply, n: 0 });
  if (notice.of !== lastReply) setNotice({ of: lastReply, n: notice.n + 1 });
  const { campaignId } = useParams();
  // A reply may come from a campaign other than the one on screen (or while
  // none is): Open goes to the reply's own.
  const replyCampaign = lastReply?.campaignId || campaignId;
  // Several handed over at once: the Admin section lists them, for an admin;
  // an action's creator who is no admin finds them in the inbox.
  const adminThere = useIsAdmin(replyCampaign ?? '');
  const navigate = useNavigate();
  // Outbox pressed on the Outbox stacks no second copy of it for its Back to return to.
  const location = useLocation();
  const onOutbox = location.pathname.endsWith('/outbox');
  const onSettings = location.pathname === '/settings';
  const showShortcuts = useShortcutSheet();
  // Changes the server refused stay in the Outbox until dismissed; their notices do not outlive
  // the window (a restart, a notice dismissed), so the button says they are there.
  const refused = useOutbox().data?.filter((m) => m.rejected).length ?? 0;
  return (
    <footer className="statusbar">
      <ConnectionStatus status={status} />
      <span className="live" aria-live="polite">
        {lastReply && (
          <>
            <span key={notice.n}>
              {lastReply.reassigned
                ? `${lastReply.reassignedBy || 'A volunteer'} reassigned ${
                    (lastReply.together ?? 1) > 1
                      ? `${lastReply.together} conversations`
                      : (lastReply.contactName || 'a conversation')
                  } to you`
                : lastReply.optedBackIn
                  ? lastReply.optOutUndone
                    ? `${lastReply.contactName || 'A contact'}'s opt-out was undone`
                    : `${lastReply.contactName || 'A contact'} opted back in`
                  : `New reply from ${lastReply.contactName || 'a contact'}`}
            </span>
            {replyCampaign && (
              <>
                {' '}
                <Link
                  className="quiet"
                  to={
                    (lastReply.together ?? 1) === 1
                      ? `/c/${replyCampaign}/thread/${lastReply.threadId}`
                      : adminThere
                        ? `/c/${replyCampaign}/admin`
                        : `/c/${replyCampaign}`
                  }
                >
                  Open
                </Link>
              </>
            )}
          </>
        )}
      </span>
      <span className="spacer" />
      {/* The list beside the Outbox keeps its filter and the volunteer's search. */}
      {campaignId && (
        <button
          type="button"
          className="quiet"
          aria-current={onOutbox ? 'page' : undefined}
          onClick={() => navigate({ pathname: `/c/${campaignId}/outbox`, search: location.search }, { replace: onOutbox })}
        >
          {refused > 0 ? `Outbox (${refused} refused)` : 'Outbox'}
        </button>
      )}
      {status?.demo && <span className="badge">Demo</span>}
      {status?.user && (
        <span className="muted user-name">
          {status.user.name}
        </span>
      )}
      <button type="button" className="quiet" onClick={showShortcuts} aria-keyshortcuts="?" title="Keyboard shortcuts (?)">
        Shortcuts
      </button>
      {/* Settings pressed on Settings stacks no second copy of it, as Outbox on the Outbox. */}
      <button
        type="button"
        className="quiet"
        aria-current={onSettings ? 'page' : undefined}
        onClick={() => navigate('/settings', { replace: onSettings })}
      >
        Settings
      </button>
      <SignOut />
    </footer>
  );
}
