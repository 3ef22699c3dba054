import { actionTypeLabel } from '../lib/labels';

/** An action's type as the spec names it ("Peer-to-Peer"), wherever an action or a conversation shows it. */
export function TypeLabel({ type }: { type: string }) {
  return <span className="type-label">{actionTypeLabel(type)}</span>;
}
