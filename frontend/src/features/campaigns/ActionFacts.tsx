import type { Action } from '../../backend';
import { batchSizeLabel, textingHoursLabel } from '../../lib/hours';
import '../thread/conversations.css';

/** The action's texting hours and batch size, on the intro and the send screen. */
export function ActionFacts({ action }: { action: Action }) {
  return (
    <ul className="action-facts" aria-label="Texting rules">
      <li>{textingHoursLabel(action.textingHours)}</li>
      <li>{batchSizeLabel(action)}</li>
    </ul>
  );
}
