import { memo } from 'react';
import type { ThreadSummary } from '../../backend';
import { shortTime } from '../../lib/format';
import { archivedReasonLabel } from '../../lib/labels';
import { TypeLabel } from '../../components/TypeLabel';

interface ThreadRowProps {
  t: ThreadSummary;
  index: number;
  top: number;
  measure: (el: HTMLElement | null) => void;
  tabbable: boolean;
  onFocus: (threadId: string) => void;
  selected: boolean;
  onOpen: (t: ThreadSummary) => void;
  /** The row pressed (the main button), before it is clicked. */
  onPress: (t: ThreadSummary) => void;
  onArchive: (t: ThreadSummary) => void;
}

/** One conversation in the list (ThreadList): the row opens it; its Archive, on hover and focus, archives it. */
export const ThreadRow = memo(function ThreadRow({ t, index, top, measure, tabbable, onFocus, selected, onOpen, onPress, onArchive }: ThreadRowProps) {
  const cls = ['thread-row', t.unread && 'unread', selected && 'selected', t.needsAttention && 'attention', t.archived && 'archived']
    .filter(Boolean)
    .join(' ');
  const who = t.contactName;
  const reason = t.archived ? archivedReasonLabel(t.archivedReason || 'user') : '';
  return (
    <div
      role="listitem"
      data-index={index}
      data-thread-id={t.id}
      data-testid="thread-row"
      className={cls}
      ref={measure}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${top}px)` }}
    >
      <button
        type="button"
        className="thread-open"
        tabIndex={tabbable ? 0 : -1}
        onFocus={() => onFocus(t.id)}
        aria-current={selected ? 'true' : undefined}
        aria-keyshortcuts="E"
        onClick={() => onOpen(t)}
        onPointerDown={(e) => e.button === 0 && onPress(t)}
      >
        <span className="row-top">
          <span className="contact">
            {t.unread && <span className="dot" aria-hidden="true" />}
            {who}
          </span>
          <time dateTime={t.lastMessageAt}>{shortTime(t.lastMessageAt)}</time>
        </span>
        {/* Whose words the preview is: a text we sent reads like the contact's own without it. */}
        <span className="preview">
          {t.lastFromUs && <span className="from-us">You: </span>}
          {t.lastMessage}
        </span>
        <span className="row-bottom">
          <TypeLabel type={t.actionType} />
          {t.unread && <span className="sr-only">, unread</span>}
          {/* An archived conversation is in no Needs Attention list (a reply brings it back there), so it wears no such badge.
              Answered, what is missing is a report, and the badge says so ("Needs attention" left a volunteer who had
              answered wondering why). Answered goes by the Go side's rule (inbox.Answered), not by whose text is last: an
              answer written offline before the contact's reply came goes after it, yet answers it not. Unanswered, it
              may want a reply or a decision on an opt-out (words like "stop
              texting me" are in Needs Attention until a report decides): "Needs attention", not a nudge to reply.
              Such words, until a report decides them, say so first: the volunteer sees which rows wait for a
              decision on an opt-out before opening them. */}
          {t.needsAttention && !t.archived && (
            <span className={t.optOutUndecided ? 'badge warn' : 'badge'} title="In Needs Attention">
              {t.optOutUndecided ? 'May be an opt-out' : t.unanswered ? 'Needs attention' : 'Needs a report'}
            </span>
          )}
          {t.optedOut && <span className="badge muted">Opted out</span>}
          {t.reassignedFrom && <span className="reason muted">Reassigned by {t.reassignedFrom}</span>}
          {reason && <span className="reason muted">{reason}</span>}
        </span>
      </button>
      <button
        type="button"
        className="row-archive"
        title={`${t.archived ? 'Unarchive' : 'Archive'} (E)`}
        // Named with the contact: a list of rows each with a bare
        // "Archive" says nothing to a screen reader listing the buttons.
        aria-label={`${t.archived ? 'Unarchive' : 'Archive'} ${who}`}
        onClick={() => onArchive(t)}
        tabIndex={-1}
      >
        {t.archived ? 'Unarchive' : 'Archive'}
      </button>
    </div>
  );
});
