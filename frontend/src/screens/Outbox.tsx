import { useEffect, useState } from 'react';
import { dismissRejected, outbox, type PendingMutation } from '../backend';
import { errorMessage, fullTime, plural } from '../format';

interface OutboxProps {
  /** Bumped on inbox changes and sync status updates: the outbox is refetched. */
  refreshKey: number;
  onClose: () => void;
}

/** What is still waiting to reach the server, and what the server refused and why. */
export function Outbox({ refreshKey, onClose }: OutboxProps) {
  const [items, setItems] = useState<PendingMutation[] | null>(null);
  const [error, setError] = useState('');
  const [dismissed, setDismissed] = useState(0); // refetch after a dismiss

  useEffect(() => {
    let live = true;
    outbox().then(
      (list) => {
        if (!live) return;
        setItems(list);
        setError('');
      },
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [refreshKey, dismissed]);

  async function dismiss(id: string) {
    try {
      await dismissRejected(id);
      setDismissed((n) => n + 1);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const rejected = items?.filter((m) => m.rejected) ?? [];
  const pending = items?.filter((m) => !m.rejected) ?? [];

  return (
    <section className="pane outbox" aria-labelledby="outbox-title">
      <header className="pane-header">
        <h1 id="outbox-title">Outbox</h1>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {items === null && !error && <p className="muted">Loading…</p>}
      {items !== null && items.length === 0 && <p>Everything has reached the server.</p>}

      {rejected.length > 0 && (
        <>
          <h2>Refused by the server ({rejected.length})</h2>
          <ul className="outbox-list">
            {rejected.map((m) => (
              <li key={m.id} className="rejected">
                <strong>{m.summary}</strong>
                <span className="muted"> · {fullTime(m.createdAt)}</span>
                <p className="error-text">Refused: {m.reason || 'no reason given'}</p>
                <button type="button" aria-label={`Dismiss ${m.summary}`} onClick={() => void dismiss(m.id)}>
                  Dismiss
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {pending.length > 0 && (
        <>
          <h2>Waiting to send ({pending.length})</h2>
          <ul className="outbox-list">
            {pending.map((m) => (
              <li key={m.id}>
                <strong>{m.summary}</strong>
                <span className="muted"> · {fullTime(m.createdAt)}</span>
                {m.attempts > 0 && <span className="muted"> · {plural(m.attempts, 'attempt')} so far</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
