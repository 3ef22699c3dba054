import { useId, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import type { UnroutableText } from '../../backend';
import { Modal } from '../../components/Modal';
import { errorMessage, errorSentence, sentence } from '../../lib/format';
import { ReadConversation, When } from './AdminRows';
import { useHandledUnroutable, useMarkHandled } from './hooks';

/** The sender as the admin knows them: the contact's name and number, or the number alone. */
const sender = (u: UnroutableText) => (u.contactName ? `${u.contactName} (${u.from})` : u.from);

/**
 * A text no conversation claimed: who, to which number, the start of it;
 * Show details has the rest. An admin marks it handled once dealt with (it
 * leaves the list, kept under Show handled), or a handled one open again.
 */
export function UnroutableRow({ u, onMarked }: { u: UnroutableText; onMarked?: () => void }) {
  const [open, setOpen] = useState(false);
  const mark = useMarking(u, onMarked);
  return (
    <>
      <p>
        <strong>{sender(u)}</strong> to {u.to}
      </p>
      <p className="admin-excerpt">“{u.body}”</p>
      <p className="small muted admin-row-actions">
        <When at={u.at} /> ·{' '}
        <button type="button" className="link" aria-haspopup="dialog" aria-label={`Show details of the text from ${sender(u)}`} onClick={() => setOpen(true)}>
          Show details
        </button>
        {!open && mark.button}
      </p>
      <HandledLine u={u} />
      {!open && mark.error}
      {open && (
        <UnroutableDetails u={u} onClose={() => setOpen(false)}>
          {mark.button}
          {mark.error}
        </UnroutableDetails>
      )}
    </>
  );
}

function HandledLine({ u }: { u: UnroutableText }) {
  if (!u.handledAt) return null;
  return (
    <p className="small">
      Handled{u.handledBy ? ` by ${u.handledBy}` : ''} · <When at={u.handledAt} />
    </p>
  );
}

/** The Mark handled (or Mark not handled) button of a text, and what went wrong, in words. */
function useMarking(u: UnroutableText, onMarked?: () => void) {
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
  return { button, error };
}

/**
 * The whole of an unroutable text with what is known of it, and why it
 * reached nobody: the sender's conversation here, when they have one, is on
 * another number (read it to see what they answer). children: its Mark
 * handled button.
 */
function UnroutableDetails({ u, onClose, children }: { u: UnroutableText; onClose: () => void; children: ReactNode }) {
  const who = u.contactName || u.from;
  return (
    <Modal title={`Text from ${who}`} onClose={onClose} closeButton className="unroutable-dialog">
      <dl className="admin-details">
        <div>
          <dt>From</dt>
          <dd>{u.contactName ? `${u.from}, ${u.contactName}, a contact of this campaign` : `${u.from}, not a contact of this campaign`}</dd>
        </div>
        <div>
          <dt>To</dt>
          <dd>{u.to}, one of this campaign's numbers</dd>
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
              {u.handledBy ? `By ${u.handledBy}, ` : ''}
              <When at={u.handledAt} />
            </dd>
          </div>
        )}
      </dl>
      <blockquote className="admin-whole-text">{u.body}</blockquote>
      <p className="small muted">
        {u.contactName
          ? `It reached no volunteer: ${u.contactName}'s conversation in this campaign is on another number, so whoever holds it did not see this text.`
          : `It reached no volunteer: nobody in this campaign texted ${u.from} from ${u.to}. Textbank cannot answer it.`}
      </p>
      {u.threadId && <ReadConversation threadId={u.threadId} who={who} />}
      <div className="admin-dialog-actions">{children}</div>
    </Modal>
  );
}

/**
 * Under the open texts: how many handled ones are hidden, and Show handled
 * to list them (they are kept, never deleted), each with Mark not handled.
 */
export function HandledUnroutable({ count, onMarked }: { count: number; onMarked: () => void }) {
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
                <UnroutableRow u={u} onMarked={onMarked} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
