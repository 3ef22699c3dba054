import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import type { ThreadView } from '../../backend';
import { errorSentence, hasName } from '../../lib/format';
import { archivedReasonLabel } from '../../lib/labels';
import { notAShortcut } from '../../lib/keys';
import { useArchive } from '../inbox/hooks';
import { ReportAbuse } from './BlockDialog';
import { TypeLabel } from '../../components/TypeLabel';
import { useOverflows } from '../../lib/useOverflows';

interface ThreadHeaderProps {
  view: ThreadView;
  /** A failed archive, said under the messages with the conversation's other errors. */
  onError: (sentence: string) => void;
}

/** The conversation's top line: Back, who and which action, Report abuse and Archive (E). */
export function ThreadHeader({ view, onError }: ThreadHeaderProps) {
  const t = view.thread;
  const archive = useArchive();
  const navigate = useNavigate();
  const location = useLocation();
  const { campaignId } = useParams();
  // Back to the list, with its filter and search as they are (as a mail client's back to the
  // folder): not history -1, which after typing a search is this same conversation again.
  const back = () => navigate({ pathname: `/c/${campaignId}`, search: location.search });

  // The conversation stays on screen when archived, and Archive keeps focus: only the button's
  // new name would say anything, so the outcome is said (once it is done; a failure is an alert).
  const [said, setSaid] = useState('');
  function toggleArchive() {
    onError('');
    setSaid('');
    const archived = !t.archived;
    archive.mutate(
      { threadId: t.id, archived },
      {
        onSuccess: () => setSaid(archived ? 'Archived' : 'Moved back to the inbox'),
        onError: (err) => onError(errorSentence(err)),
      },
    );
  }

  // E archives or unarchives (when the list, which has its own E, does not have focus).
  const toggleRef = useRef(toggleArchive);
  toggleRef.current = toggleArchive;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (notAShortcut(e) || e.key.toLowerCase() !== 'e') return;
      e.preventDefault();
      toggleRef.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const who = t.contactName;
  const named = hasName(t.contactName, view.contactPhoneDisplay);
  const reason = t.archived ? archivedReasonLabel(view.archivedReason || t.archivedReason || 'user') : '';
  return (
    <header className="pane-header thread-header">
      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="archive-announcement">
        {said}
      </p>
      <button type="button" className="back" onClick={back} aria-label="Back">
        ‹
      </button>
      <div className="thread-title">
        <h1 id="thread-contact">{who}</h1>
        <p className="muted">
          {/* A contact without a name is already named by the number above. */}
          {named && <span className="phone">{view.contactPhoneDisplay}</span>}
          {named && <span aria-hidden="true"> · </span>}
          <span>{view.actionTitle}</span>{' '}
          <TypeLabel type={t.actionType} />
          {reason && <span className="reason"> · {reason}</span>}
        </p>
        <ContactDetails view={view} />
      </div>
      {/* One box, so a short window can run the line under the name on under both (shell.css). */}
      <div className="thread-actions">
        <ReportAbuse view={view} />
        <button type="button" onClick={toggleArchive} aria-keyshortcuts="E">
          {t.archived ? 'Unarchive' : 'Archive'}
        </button>
      </div>
    </header>
  );
}

/**
 * The contact list's columns (a polling place, a precinct): what a volunteer looks up when asked.
 * Kept to a few lines (one in a short window, styles.css and shell.css), with Show all when cut, as
 * the reassign note has: cut with no way to the rest, a long polling place could not be read. In
 * one column they wrap whole (the pane scrolls there), and nothing is cut.
 */
function ContactDetails({ view }: { view: ThreadView }) {
  const details = view.contactDetails ?? [];
  const box = useRef<HTMLDListElement>(null);
  const [all, setAll] = useState(false);
  const cut = useOverflows(box, undefined, [details, all], true);
  if (details.length === 0) return null;
  return (
    <div className="contact-details-line">
      <dl ref={box} id="contact-details" className={`contact-details muted${all ? ' all' : ''}`} aria-label="Contact details">
        {details.map((d) => (
          <div key={d.key}>
            <dt>{d.label}</dt>
            <dd>{d.value}</dd>
          </div>
        ))}
      </dl>
      {(cut || all) && (
        // Named for what it shows: the reassign note's Show all can be on screen too.
        <button
          type="button"
          className="link"
          aria-expanded={all}
          aria-controls="contact-details"
          aria-label={all ? 'Show less of the contact details' : 'Show all contact details'}
          onClick={() => setAll(!all)}
        >
          {all ? 'Show less' : 'Show all'}
        </button>
      )}
    </div>
  );
}
