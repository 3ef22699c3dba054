import { useId } from 'react';
import { useParams } from 'react-router';
import type { OptIn } from '../../backend';
import { Modal } from '../../components/Modal';
import { useBusyRetry } from '../../lib/useBusyRetry';
import { useInitialLockHours } from '../../lib/useInitialLockHours';
import { ConfirmFooter } from './ConfirmFooter';
import { When } from './When';
import { useOptBackIn } from './marks';

/**
 * Asks before Opt Back In, saying what it does: the contact texted START,
 * and lifting the organization's opt-out lets them be texted again (by the
 * volunteer holding the conversation, and by the organization's campaigns),
 * with the opt-out kept and the organizer's name on the lift. The page's,
 * not the row's: a refresh that drops the row leaves it open. onDone runs
 * once it has closed after opting them back in (focus to the section).
 */
export function OptBackInDialog({ i, onClose, onDone }: { i: OptIn; onClose: () => void; onDone: () => void }) {
  const { campaignId = '' } = useParams();
  const lock = useInitialLockHours();
  const m = useOptBackIn(campaignId, () => {
    onClose();
    onDone();
  });
  const retrying = useBusyRetry(m.isPending, 'optBackIn', i.id);
  const who = i.contactName ?? ''; // the Go side names every opt-in (its name, else its number)
  const replier = i.yours ? 'you' : i.heldBy || 'whoever holds the conversation';
  // A block stays whatever the opt-out does: nobody replies in that conversation.
  const reply = i.blocked
    ? `their conversation stays blocked (a volunteer reported ${who} for abuse), but`
    : !i.threadId
      ? 'their START reached no conversation of this campaign, but' // an unroutable START
      : `${replier} can reply in the conversation again, and`;
  const what = useId();
  return (
    <Modal title={`Opt ${who} back in?`} onClose={onClose} describedBy={what} className="opt-back-in-dialog">
      <p id={what}>
        {who} opted out, then texted “{i.body}” (<When at={i.at} />
        ). Opting them back in lifts your organization's opt-out of their number: {reply} your organization's campaigns may text this
        number again.
      </p>
      <ul className="small">
        <li>The opt-out is kept, with your name and the time you lifted it.</li>
        <li>Texting hours still apply, and your campaigns send this number no first text within {lock} of another.</li>
        <li>If they text STOP again, a volunteer files Opt Out in the conversation, or the number is in an organizer's opt-outs import, they are opted out again.</li>
      </ul>
      <ConfirmFooter
        error={m.error}
        failed={`${who} was not opted back in`}
        retrying={retrying}
        pending={m.isPending}
        confirm="Opt Back In"
        confirming="Opting back in…"
        onConfirm={() => m.mutate(i.id)}
        onCancel={onClose}
      />
    </Modal>
  );
}
