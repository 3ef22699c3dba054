import { useCallback, useEffect, useRef, useState } from 'react';
import { queue, release, sendInitial, textAgain, type Action, type QueueItem } from '../backend';
import { errorMessage, plural } from '../format';
import { actionTypeLabel } from '../labels';

interface SendProps {
  action: Action;
  onBackToInbox: () => void;
}

/** Enter sends only when focus is not somewhere Enter means something else. */
function enterIsOurs(e: KeyboardEvent): boolean {
  if (e.key !== 'Enter' || e.repeat || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return false;
  const t = e.target as HTMLElement | null;
  if (!t || !(t instanceof HTMLElement)) return true;
  if (t.isContentEditable) return false;
  return !['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A'].includes(t.tagName);
}

export function Send({ action, onBackToInbox }: SendProps) {
  // The queue lives here and is popped locally: the next contact shows the
  // moment Send is pressed, while the send itself goes to the outbox.
  const queueRef = useRef<QueueItem[]>([]);
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [remaining, setRemaining] = useState(-1);
  const [loadError, setLoadError] = useState('');
  const [sendErrors, setSendErrors] = useState<string[]>([]);
  const [moreError, setMoreError] = useState('');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const setQueue = useCallback((next: QueueItem[]) => {
    queueRef.current = next;
    setItems(next);
  }, []);

  // Only the newest load may set the queue: a late answer to an older one
  // would bring back contacts already sent.
  const loadSeq = useRef(0);
  const load = useCallback(async () => {
    const mine = ++loadSeq.current;
    setLoadError('');
    try {
      const q = await queue(action.id);
      if (mine !== loadSeq.current) return false;
      setQueue(q.items);
      setRemaining(q.remaining);
      return q.items.length === 0;
    } catch (err) {
      if (mine !== loadSeq.current) return false;
      setLoadError(errorMessage(err));
      setItems((prev) => prev ?? []);
      return false;
    }
  }, [action.id, setQueue]);

  useEffect(() => {
    queueRef.current = [];
    setItems(null);
    setSendErrors([]);
    setMoreError('');
    setNotice('');
    // Pressing Start means "give me people to text": with nothing queued
    // yet, ask for the first batch instead of showing an empty screen.
    void load().then((empty) => {
      if (empty) void more();
    });
  }, [load]);

  const send = useCallback(() => {
    const [item, ...rest] = queueRef.current;
    if (!item || item.error) return;
    setQueue(rest);
    setNotice('');
    // Not awaited: the next contact must not wait for the outbox write.
    sendInitial(action.id, item.contactId).catch((err: unknown) => {
      setSendErrors((prev) => [...prev, `Could not send to ${item.name}: ${errorMessage(err)}`]);
    });
  }, [action.id, setQueue]);

  const skip = useCallback(() => {
    setQueue(queueRef.current.slice(1));
  }, [setQueue]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!enterIsOurs(e)) return;
      const current = queueRef.current[0];
      if (!current || current.error) return;
      e.preventDefault();
      send();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [send]);

  async function more() {
    setMoreError('');
    setNotice('');
    setBusy(true);
    try {
      await textAgain(action.id);
      await load();
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function stop() {
    setBusy(true);
    try {
      const n = await release(action.id);
      setQueue([]);
      setNotice(`${plural(n, 'unsent contact')} went back to the pool for other volunteers.`);
    } catch (err) {
      setSendErrors((prev) => [...prev, `Could not release the unsent contacts: ${errorMessage(err)}`]);
    } finally {
      setBusy(false);
    }
  }

  const current = items?.[0];

  return (
    <section className="pane send" aria-labelledby="send-action-title">
      <header className="pane-header">
        <h1 id="send-action-title">{action.title}</h1>
        <span className={`type-label type-${action.type}`}>{actionTypeLabel(action.type)}</span>
      </header>

      {sendErrors.length > 0 && (
        <div role="alert" className="error">
          {sendErrors.map((m, i) => (
            <p key={i}>{m}</p>
          ))}
          <button type="button" className="link" onClick={() => setSendErrors([])}>
            Dismiss
          </button>
        </div>
      )}
      {loadError && (
        <div role="alert" className="error">
          <p>{loadError}</p>
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}

      {items === null && <p className="muted">Loading contacts…</p>}

      {current && (
        <div className="recipient">
          <p className="muted">Texting</p>
          <h2 className="recipient-name" data-testid="recipient-name">
            {current.name}
          </h2>
          <p className="muted phone">{current.phone}</p>

          {current.error ? (
            <>
              <p role="alert" className="error">
                The text for {current.name} could not be prepared: {current.error}
              </p>
              <div className="send-controls">
                <button type="button" className="primary big" onClick={skip} autoFocus>
                  Skip
                </button>
                <span className="count">{items.length} left</span>
              </div>
            </>
          ) : (
            <>
              <div className="script" aria-label="Message to send">
                {current.body}
              </div>
              <p className="meta">
                <span>{plural(current.segments, 'segment')}</span>
                <span aria-hidden="true"> · </span>
                <span className="count">{items.length} left</span>
              </p>
              <div className="send-controls">
                <button type="button" className="primary big" onClick={send} autoFocus>
                  Send
                </button>
                <span className="muted hint">or press Enter</span>
              </div>
            </>
          )}
          <p>
            <button type="button" onClick={stop} disabled={busy} aria-describedby="stop-hint">
              Stop for now
            </button>{' '}
            <span id="stop-hint" className="muted">
              Releases your unsent contacts to other volunteers.
            </span>
          </p>
        </div>
      )}

      {items !== null && items.length === 0 && !loadError && (
        <div className="batch-done">
          <h2>Batch done</h2>
          <p>
            Everyone in this batch has been texted.
            {remaining > 0 && ` ${plural(remaining, 'contact')} still waiting in this action.`}
          </p>
          {moreError && (
            <p role="alert" className="error">
              {moreError}
            </p>
          )}
          <div className="send-controls">
            <button type="button" className="primary big" onClick={more} disabled={busy} autoFocus>
              Text Again
            </button>
            <button type="button" onClick={onBackToInbox}>
              Back to the inbox
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
