import { useId, useState } from 'react';
import { useParams } from 'react-router';
import type { UnroutableText } from '../../backend';
import { errorMessage, errorSentence, sentence } from '../../lib/format';
import { When } from './AdminRows';
import { useHandledUnroutable, useMarkHandled } from './hooks';

/** The sender as the admin knows them: the contact's name and number, or the number alone. */
export const sender = (u: UnroutableText) => (u.contactName ? `${u.contactName} (${u.fromDisplay})` : u.fromDisplay);

/**
 * A text no conversation claimed: who, to which number, the start of it;
 * Show details has the rest (the dialog is the page's, UnroutableDialog, so
 * that it outlives the row when another admin marks the text meanwhile). An
 * admin marks it handled once dealt with (it leaves the list, kept under
 * Show handled), or a handled one open again.
 */
export function UnroutableRow({ u, details, onMarked }: { u: UnroutableText; details: Details; onMarked?: () => void }) {
  const mark = useMarking(u, onMarked);
  const open = details.shown?.id === u.id;
  return (
    <>
      <p>
        <strong>{sender(u)}</strong> to {u.toDisplay}
      </p>
      <p className="admin-excerpt">“{u.body}”</p>
      <p className="small muted admin-row-actions">
        <When at={u.at} /> ·{' '}
        <button type="button" className="link" aria-haspopup="dialog" aria-label={`Show details of the text from ${sender(u)}`} onClick={() => details.show(u)}>
          Show details
        </button>
        {!open && mark.button}
      </p>
      <HandledLine u={u} />
      {!open && mark.error}
    </>
  );
}

/** The text whose details dialog is open (as it was when opened), and how to open one. */
export interface Details {
  shown: UnroutableText | null;
  show: (u: UnroutableText) => void;
}

function HandledLine({ u }: { u: UnroutableText }) {
  if (!u.handledAt) return null;
  return (
    <p className="small">
      Handled{handledBy(u)} · <When at={u.handledAt} />
    </p>
  );
}

/** Who marked a handled text, to follow "Handled": textbankd's command line is no admin. */
export function handledBy(u: UnroutableText): string {
  if (u.handledFromCommandLine) return ' from the command line';
  return u.handledBy ? ` by ${u.handledBy}` : '';
}

/** The Mark handled (or Mark not handled) button of a text, and what went wrong, in words. */
export function useMarking(u: UnroutableText, onMarked?: () => void) {
  const { campaignId = '' } = useParams();
  const m = useMarkHandled(campaignId, onMarked);
  const handled = !!u.handledAt;
  const label = handled ? 'Mark not handled' : 'Mark handled';
  const button = (
    <button
      type="button"
      className="quiet small admin-mark"
      aria-label={`${label}: the text from ${sender(u)}`}
      disabled={m.isPending}
      onClick={() => m.mutate({ id: u.id, handled: !handled })}
    >
      {m.isPending ? 'Saving…' : label}
    </button>
  );
  const error = m.isError && (
    <p role="alert" className="error small">
      {sentence(`The text was not marked ${handled ? 'open again' : 'handled'}: ${errorMessage(m.error)}`)}
    </p>
  );
  return { button, error, markedHere: m.isPending || m.isSuccess };
}

/**
 * Under the open texts: how many handled ones are hidden, and Show handled
 * to list them (they are kept, never deleted), each with Mark not handled.
 */
export function HandledUnroutable({ count, details, onMarked }: { count: number; details: Details; onMarked: () => void }) {
  const { campaignId = '' } = useParams();
  const [show, setShow] = useState(false);
  const q = useHandledUnroutable(campaignId, show);
  const listId = useId();
  if (count === 0 && !show) return null;
  return (
    <div className="admin-handled">
      <p className="small muted">
        {show ? `Handled (${count})` : count === 1 ? '1 handled text is hidden.' : `${count} handled texts are hidden.`}{' '}
        <button type="button" className="link" aria-expanded={show} aria-controls={listId} onClick={() => setShow(!show)}>
          {show ? 'Hide handled' : 'Show handled'}
        </button>
      </p>
      <div id={listId}>
        {show && q.isError && (
          <p role="alert" className="error">
            {errorSentence(q.error)}
          </p>
        )}
        {show && !q.data && !q.isError && <p className="muted small">Loading…</p>}
        {show && q.data?.length === 0 && <p className="muted small">No text is marked handled.</p>}
        {show && !!q.data?.length && (
          <ul className="admin-list" aria-label="Handled unroutable texts">
            {q.data.map((u) => (
              <li key={u.id}>
                <UnroutableRow u={u} details={details} onMarked={onMarked} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
