import type { UnroutableText } from '../../backend';
import { When } from './When';
import { MarkedRows, useMarkButton, type MarkWords } from './MarkedRows';

/** The sender as the admin knows them: the contact's name and number, or the number alone. */
const sender = (u: UnroutableText) => (u.contactName ? `${u.contactName} (${u.fromDisplay})` : u.fromDisplay);

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
function handledBy(u: UnroutableText): string {
  if (u.handledFromCommandLine) return ' from the command line';
  return u.handledBy ? ` by ${u.handledBy}` : '';
}

/** The Mark Handled (or Open Again) button of a text, and what went wrong, in words. */
export function useMarking(u: UnroutableText, onMarked?: () => void) {
  return useMarkButton('unroutable', u.id, !!u.handledAt, unroutableWords(u), onMarked);
}

const unroutableWords = (u: UnroutableText): MarkWords => ({
  mark: 'Mark Handled',
  unmark: 'Open Again',
  about: `the text from ${sender(u)}`,
  failed: (handled) => `The text was not marked ${handled ? 'handled' : 'open again'}`,
});

/**
 * Under the open texts: how many handled ones are hidden, and Show handled
 * to list them (they are kept, never deleted), each with Open Again.
 */
export function HandledUnroutable({ count, details, onMarked }: { count: number; details: Details; onMarked: () => void }) {
  return (
    <MarkedRows
      list="unroutable"
      count={count}
      words={{
        hidden: (n) => (n === 1 ? '1 handled text is hidden.' : `${n.toLocaleString()} handled texts are hidden.`),
        word: 'handled',
        listName: 'Handled unroutable texts',
        none: 'No text is marked handled.',
      }}
      render={(u) => <UnroutableRow u={u} details={details} onMarked={onMarked} />}
    />
  );
}
