import { useId, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { PendingMutation } from '../../backend';
import { Modal } from '../../components/Modal';
import { fullTime, errorSentence, plural } from '../../lib/format';
import { useFocusAfterDismiss } from '../../lib/focus';
import { useStatus } from '../session/hooks';
import { useDiscardFailing, useDismissRejected, useOutbox } from './hooks';

/** What the volunteer did that has not reached the server yet, and what the server refused and why. */
export function Outbox() {
  const { data: items, error, isError } = useOutbox();
  const dismiss = useDismissRejected();
  const [discarding, setDiscarding] = useState<PendingMutation | null>(null);
  const navigate = useNavigate();
  const location = useLocation();
  const { campaignId } = useParams();
  // The status bar's sentence in full (there it is cut to "Offline · 3 changes waiting to send").
  const problem = useStatus().data?.problem ?? '';
  // Back where the Outbox was opened from (a conversation, the send screen), as Settings'
  // Back does; opened with no history in the window (a fresh start on it), the inbox.
  const back = () => (location.key === 'default' ? navigate(`/c/${campaignId}`) : navigate(-1));

  const rejected = items?.filter((m) => m.rejected) ?? [];
  const pending = items?.filter((m) => !m.rejected) ?? [];

  // After the last refused change, the keyboard goes to the heading.
  const refusedList = useRef<HTMLUListElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const refusedIds = rejected.map((m) => m.id).join(' ');
  const dismissing = useFocusAfterDismiss(refusedIds, refusedList, () => heading.current);

  return (
    <section className="pane outbox" aria-labelledby="outbox-title">
      <header className="pane-header">
        <button type="button" className="back" onClick={back} aria-label="Back">
          ‹
        </button>
        <h1 id="outbox-title" ref={heading} tabIndex={-1}>
          Outbox
        </h1>
      </header>
      {problem && <p className="notice">{problem}</p>}
      {isError && (
        <p role="alert" className="error">
          {errorSentence(error)}
        </p>
      )}
      {dismiss.isError && (
        <p role="alert" className="error">
          {errorSentence(dismiss.error)}
        </p>
      )}
      {!items && !isError && <p className="muted">Loading…</p>}
      {items && items.length === 0 && <p>Everything has reached the campaign server.</p>}

      {rejected.length > 0 && (
        <>
          <h2>Refused by the server ({rejected.length})</h2>
          <ul className="outbox-list" ref={refusedList}>
            {rejected.map((m, i) => (
              <li key={m.id} className="rejected">
                <div>
                  <strong>{m.summary}</strong>
                  <span className="muted"> · {fullTime(m.createdAt)}</span>
                  <p className="error-text">Refused: {m.reason || 'no reason given'}</p>
                  {/* What they wrote, to use again: the refusal took it off the conversation, or the
                      conversation went (reassigned, blocked) and took it along. */}
                  {m.said && (
                    <p>
                      {m.type === 'report' ? 'Your report' : 'Your text'}: {m.said}
                    </p>
                  )}
                  {/* Something to act on: answer again, file the report again, see why. A
                      conversation gone from the inbox (reassigned, blocked) has no link. */}
                  {m.threadId && m.campaignId && (
                    <Link to={`/c/${m.campaignId}/thread/${m.threadId}`} aria-label={`Open the conversation: ${m.summary}`}>
                      Open conversation
                    </Link>
                  )}
                </div>
                <button
                  type="button"
                  aria-label={`Dismiss ${m.summary}`}
                  onClick={() => {
                    dismissing(i);
                    dismiss.mutate(m.id);
                  }}
                >
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
                <div>
                  <strong>{m.summary}</strong>
                  <span className="muted"> · {fullTime(m.createdAt)}</span>
                  {/* Changes go in order: one the server cannot save holds back all after it. */}
                  {m.discardable && (
                    <p className="error-text">
                      The campaign server could not save this change (tried {plural(m.faults ?? 0, 'time')}). The changes
                      after it wait for it.
                    </p>
                  )}
                </div>
                {m.discardable && (
                  <button type="button" aria-label={`Discard ${m.summary}`} onClick={() => setDiscarding(m)}>
                    Discard
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {discarding && (
        <ConfirmDiscard
          change={discarding}
          gone={!!items && !items.some((m) => m.id === discarding.id)}
          onClose={() => setDiscarding(null)}
        />
      )}
    </section>
  );
}

/** What discarding undoes on this computer, by the kind of change. */
function undoneWords(type: string): string {
  switch (type) {
    case 'reply':
      return 'The reply stays in its conversation, marked as not sent.';
    case 'send_initial':
      return 'The contact goes back to your queue, to text later.';
    case 'report':
      return 'The report is taken off the conversation.';
    default:
      return 'What it changed on this computer is undone.';
  }
}

/**
 * Asks before giving up on a change the campaign server keeps failing: it will never reach the server.
 * A change that left the outbox meanwhile (the server saved it after all: the error says so) can only
 * be closed.
 */
function ConfirmDiscard({ change, gone, onClose }: { change: PendingMutation; gone: boolean; onClose: () => void }) {
  const discard = useDiscardFailing();
  const describedBy = useId();
  return (
    <Modal title="Discard this change?" onClose={onClose} role="alertdialog" describedBy={describedBy}>
      <div id={describedBy}>
        <p>
          <strong>{change.summary}</strong> will not reach the campaign server. {undoneWords(change.type)}
        </p>
        <p>The changes waiting after it are sent at once.</p>
      </div>
      {discard.isError && (
        <p role="alert" className="error">
          {errorSentence(discard.error)}
        </p>
      )}
      <div className="modal-buttons">
        <button type="button" onClick={onClose}>
          {gone ? 'Close' : 'Cancel'}
        </button>
        {!gone && (
          <button
            type="button"
            className="danger"
            disabled={discard.isPending}
            onClick={() => discard.mutate(change.id, { onSuccess: onClose })}
          >
            {discard.isPending ? 'Discarding…' : 'Discard change'}
          </button>
        )}
      </div>
    </Modal>
  );
}
