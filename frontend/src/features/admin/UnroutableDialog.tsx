import { useParams } from 'react-router';
import type { UnroutableText } from '../../backend';
import { Modal } from '../../components/Modal';
import { ReadConversation } from './AdminRows';
import { When } from './When';
import { useMarking } from './Unroutable';
import { useMarkedRows } from './marks';

/**
 * The whole of an unroutable text with what is known of it, and why it
 * reached nobody: the sender's conversation here, when they have one, is on
 * another number (read it to see what they answer).
 *
 * It belongs to the page, not to the text's row: when another admin (or
 * textbankd's command line) marks the text handled while it is open, the
 * next refresh of the overview drops the row, and the dialog stays open to
 * say so, with who did when the handled list tells (read then, once). The
 * same when a handled text is marked open again meanwhile. shown is the
 * text as it was when opened; open is the overview's open texts now.
 * onGone moves focus once the dialog closes and its opener is gone (after
 * marking it here too).
 */
export function UnroutableDialog({
  shown,
  open,
  more = false,
  onClose,
  onGone,
}: {
  shown: UnroutableText;
  open: UnroutableText[];
  /** The open texts listed are the newest 200 of more. */
  more?: boolean;
  onClose: () => void;
  onGone: () => void;
}) {
  const { campaignId = '' } = useParams();
  const listed = open.find((x) => x.id === shown.id);
  const wasOpen = !shown.handledAt;
  // Past the newest 200 now (newer texts came): still open, only not listed.
  const oldest = open[open.length - 1];
  const pushedOut = more && !!oldest && Date.parse(shown.at) <= Date.parse(oldest.at);
  // No longer among the open texts: someone marked it handled.
  const gone = wasOpen && !listed && !pushedOut;
  const handled = useMarkedRows('unroutable', campaignId, gone);
  const nowHandled = gone ? handled.data?.find((x) => x.id === shown.id) : undefined;
  const u = listed ?? nowHandled ?? shown;
  const mark = useMarking(u, () => {
    onClose();
    onGone();
  });
  // Marked here, it leaves the list as the dialog closes: not news.
  const handledMeanwhile = gone && !mark.markedHere;
  const reopenedMeanwhile = !wasOpen && !!listed && !mark.markedHere;
  const who = u.contactName || u.fromDisplay;
  function close() {
    onClose();
    if (handledMeanwhile || reopenedMeanwhile) onGone();
  }
  return (
    <Modal title={`Text from ${who}`} onClose={close} closeButton className="unroutable-dialog">
      <p role="status" className={handledMeanwhile || reopenedMeanwhile ? 'notice' : undefined}>
        {handledMeanwhile && meanwhile(nowHandled)}
        {reopenedMeanwhile && 'This text was marked open again meanwhile: it is back among the open texts.'}
      </p>
      <dl className="admin-details">
        <div>
          <dt>From</dt>
          <dd>
            {u.contactName ? `${u.fromDisplay}, ${u.contactName}, a contact of this campaign` : `${u.fromDisplay}, with no conversation in this campaign`}
          </dd>
        </div>
        <div>
          <dt>To</dt>
          <dd>{u.toDisplay}, one of this campaign's numbers</dd>
        </div>
        <div>
          <dt>Received</dt>
          <dd>
            <When at={u.at} />
          </dd>
        </div>
        {u.handledAt && (
          <div>
            <dt>Handled</dt>
            <dd>
              {u.handledFromCommandLine ? 'From the command line, ' : u.handledBy ? `By ${u.handledBy}, ` : ''}
              <When at={u.handledAt} />
            </dd>
          </div>
        )}
      </dl>
      <blockquote className="admin-whole-text">{u.body}</blockquote>
      <p className="small muted">
        {/* A number is kept on one line: "(312) 555-" and "0199" apart read as two. */}
        {u.optedOut ? (
          <>
            It opted <span className="number">{u.fromDisplay}</span> out of your organization as it arrived, so it needs no answer: your
            campaigns text this number again only if they text START and an organizer opts them back in.
          </>
        ) : u.contactName ? (
          `It reached no volunteer: ${u.contactName}'s conversation in this campaign is on another number, so whoever holds it did not see this text.`
        ) : (
          <>
            It reached no volunteer: nobody in this campaign texted <span className="number">{u.fromDisplay}</span> from{' '}
            <span className="number">{u.toDisplay}</span>, so Textbank cannot reply to it. If it needs an answer, call or text{' '}
            <span className="number">{u.fromDisplay}</span> from another phone{u.handledAt ? '.' : ', then mark it handled.'}
          </>
        )}
      </p>
      {u.threadId && <ReadConversation threadId={u.threadId} who={who} />}
      {/* Marked meanwhile and not yet read back: which way the button goes is not known. */}
      {(!handledMeanwhile || nowHandled) && (
        <div className="admin-dialog-actions">
          {mark.button}
          {mark.error}
        </div>
      )}
    </Modal>
  );
}

/** What the dialog says when the text it shows was marked handled while it was open. */
function meanwhile(u: UnroutableText | undefined): string {
  const lead = 'This text was marked handled meanwhile';
  if (u?.handledFromCommandLine) return `${lead}, from the command line. It is no longer among the open texts.`;
  if (u?.handledBy) return `${lead} by ${u.handledBy}. It is no longer among the open texts.`;
  return `${lead} by another admin. It is no longer among the open texts.`;
}
