import type { Action } from '../../backend';
import { batchSizeLabel, textingHoursLabel } from '../../lib/hours';
import '../thread/conversations.css';

/** The action's texting hours and batch size, and the number texts go from, on the intro and the send screen. */
export function ActionFacts({ action, number = true }: { action: Action; number?: boolean }) {
  // The intro names the number in a sentence of its own (SendingNumberNote).
  const from = number && (action.sendingNumberDisplay || action.sendingNumber);
  return (
    <ul className="action-facts" aria-label="Texting rules">
      <li>{textingHoursLabel(action)}</li>
      <li>{batchSizeLabel(action)}</li>
      {from && <li>Texts go from {from}</li>}
    </ul>
  );
}

/**
 * Whose number contacts see: the first worry of someone about to text
 * strangers (the walkthrough's first question), answered before Start.
 */
export function SendingNumberNote({ action }: { action: Action }) {
  const from = action.sendingNumberDisplay || action.sendingNumber;
  return (
    <p className="muted sending-number-note">
      {from
        ? `${from} is a number the campaign assigned you: contacts see it, never your own phone number.`
        : 'Texts go from a number the campaign assigns you: contacts never see your own phone number.'}
    </p>
  );
}
