import type { MutationRejected } from '../backend';

interface NoticesProps {
  notices: MutationRejected[];
  onDismiss: (id: string) => void;
}

/** Changes the server refused, each with its reason, until the volunteer dismisses it. */
export function Notices({ notices, onDismiss }: NoticesProps) {
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} role="alert" className="notice rejected">
          <p>
            <strong>Not sent: {n.summary}.</strong> {n.reason}
          </p>
          <button type="button" onClick={() => onDismiss(n.id)} aria-label={`Dismiss notice: ${n.summary}`}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
