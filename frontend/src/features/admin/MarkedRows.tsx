import { useId, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { errorMessage, errorSentence, sentence } from '../../lib/format';
import { useBusyRetry } from '../../lib/useBusyRetry';
import { useMarkedRows, useSetMarked, type MarkList, type Rows } from './marks';

/** What a list's mark button says: its two labels, what it is about (in its accessible name), and its failures. */
export interface MarkWords {
  mark: string; // "Mark Handled", "Mark Reviewed"
  unmark: string; // "Open Again" (every list)
  about: string; // "the text from +1555…": one row's button among many
  failed: (done: boolean) => string; // "The text was not marked handled"
}

/** A row's button that marks it done (or open again), and under it what went wrong, in words, or that a busy server is asked again. */
export function useMarkButton<K extends MarkList>(list: K, id: string, done: boolean, words: MarkWords, onMarked?: () => void) {
  const { campaignId = '' } = useParams();
  const m = useSetMarked(list, campaignId, onMarked);
  const retrying = useBusyRetry(m.isPending, 'mark', id);
  const label = done ? words.unmark : words.mark;
  const button = (
    <button
      type="button"
      className="quiet small admin-mark"
      aria-label={`${label}: ${words.about}`}
      disabled={m.isPending}
      onClick={() => m.mutate({ id, done: !done })}
    >
      {m.isPending ? 'Saving…' : label}
    </button>
  );
  const error = m.isError ? (
    <p role="alert" className="error small">
      {sentence(`${words.failed(!done)}: ${errorMessage(m.error)}`)}
    </p>
  ) : (
    retrying && (
      <p role="status" className="notice small">
        Server busy, trying again…
      </p>
    )
  );
  return { button, error, markedHere: m.isPending || m.isSuccess };
}

/** What a list's hidden done rows are called. */
export interface DoneWords {
  hidden: (n: number) => string; // "2 handled texts are hidden."
  word: string; // "handled", "reviewed": Show handled, Handled (2)
  listName: string; // "Handled unroutable texts"
  none: string; // "No text is marked handled.": the list shown while the count (the overview's) still says some
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Under a list's open rows: how many done ones are hidden, and Show
 * handled (or reviewed) to list them (they are kept, never deleted), each
 * with its button to open it again. Nothing once none is done.
 */
export function MarkedRows<K extends MarkList>({ list, count, words, render }: { list: K; count: number; words: DoneWords; render: (row: Rows[K]) => ReactNode }) {
  const { campaignId = '' } = useParams();
  const [show, setShow] = useState(false);
  const q = useMarkedRows(list, campaignId, show);
  const listId = useId();
  // The last done row opened again (here, or by another admin): the list
  // closes rather than stay open on "Handled (0)" saying there are none;
  // focus is on the section's heading (onMarked), which reads the new count.
  if (show && count === 0) setShow(false);
  if (count === 0) return null;
  return (
    <div className="admin-handled">
      <p className="small muted">
        {show ? `${capital(words.word)} (${count.toLocaleString()})` : words.hidden(count)}{' '}
        <button type="button" className="link" aria-expanded={show} aria-controls={listId} onClick={() => setShow(!show)}>
          {show ? `Hide ${words.word}` : `Show ${words.word}`}
        </button>
      </p>
      <div id={listId}>
        {show && q.isError && (
          <p role="alert" className="error">
            {errorSentence(q.error)}
          </p>
        )}
        {show && !q.data && !q.isError && <p className="muted small">Loading…</p>}
        {show && q.data?.length === 0 && <p className="muted small">{words.none}</p>}
        {show && !!q.data?.length && (
          <ul className="admin-list" aria-label={words.listName}>
            {q.data.map((row) => (
              <li key={row.id}>{render(row)}</li>
            ))}
          </ul>
        )}
        {/* The server sends the newest 200 (maxOverview): the count above is all of them. */}
        {show && !!q.data?.length && count > q.data.length && (
          <p className="muted small">
            Showing the newest {q.data.length.toLocaleString()} of {count.toLocaleString()}.
          </p>
        )}
      </div>
    </div>
  );
}
