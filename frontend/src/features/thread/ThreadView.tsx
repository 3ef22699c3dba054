import { memo, useDeferredValue, useEffect, useLayoutEffect, useRef, useState, type FocusEvent as ReactFocusEvent, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import type { MessageView, ResponseScript } from '../../backend';
import { fullTime, shortTime, errorSentence } from '../../lib/format';
import { actionTypeLabel, archivedReasonLabel } from '../../lib/labels';
import { notAShortcut } from '../../lib/keys';
import { useArchive } from '../inbox/hooks';
import { useOpenThread, useReply, useThread } from './hooks';
import { ConversationNotes, ConversationTools } from './ConversationPanel';
import { SegmentCount } from './SegmentCount';

/** The open conversation: messages, Follow Up and reply, Archive. */
export function ThreadView({ threadId }: { threadId: string }) {
  const { data, error: loadError, isError } = useThread(threadId);
  const [actionError, setActionError] = useState('');
  const [reply, setReply] = useState('');
  const [scriptId, setScriptId] = useState('');
  const [menuOpen, setMenuOpen] = useState(false);
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const sendRef = useRef<HTMLButtonElement>(null);
  // Bumped on each pick: focus moves once the picked script is on screen (Send is enabled by then).
  const [picked, setPicked] = useState(0);
  const send = useReply(threadId);
  const archive = useArchive();
  const navigate = useNavigate();
  const location = useLocation();
  const { campaignId } = useParams();
  // Back to the list, with its filter and search as they are (as a mail client's back to the
  // folder): not history -1, which after typing a search is this same thread again.
  const back = () => navigate({ pathname: `/c/${campaignId}`, search: location.search });

  useOpenThread(threadId, (err) => setActionError(errorSentence(err)));

  // A new thread: start clean.
  useEffect(() => {
    setReply('');
    setScriptId('');
    setMenuOpen(false);
    setActionError('');
  }, [threadId]);

  function pick(s: ResponseScript) {
    setReply(s.body);
    setScriptId(s.id);
    setMenuOpen(false);
    setPicked((n) => n + 1);
  }

  // Without free text there is no box to edit: Send is next.
  useEffect(() => {
    if (picked > 0) (replyRef.current ?? sendRef.current)?.focus();
  }, [picked]);

  function edit(value: string) {
    setReply(value);
    // An edited script is the volunteer's own words, not the script.
    const script = data?.responseScripts.find((s) => s.id === scriptId);
    if (script && script.body !== value) setScriptId('');
  }

  function submit() {
    const body = reply.trim();
    if (body === '' || send.isPending) return;
    setActionError('');
    // Send is disabled while the reply goes out: keep the keyboard in the reply box, not on the page.
    replyRef.current?.focus();
    send.mutate(
      { body, scriptId },
      {
        onSuccess: () => {
          setReply('');
          setScriptId('');
        },
        onError: (err) => setActionError(errorSentence(err)),
      },
    );
  }

  function toggleArchive() {
    if (!data) return;
    setActionError('');
    archive.mutate(
      { threadId, archived: !data.thread.archived },
      { onError: (err) => setActionError(errorSentence(err)) },
    );
  }

  // F opens Follow Up, R goes to the reply box, E archives (when the list does not have focus).
  const keyRef = useRef<(e: KeyboardEvent) => void>(() => {});
  keyRef.current = (e: KeyboardEvent) => {
    if (notAShortcut(e) || !data) return;
    const k = e.key.toLowerCase();
    const canAnswer = !data.thread.optedOut && !data.thread.blocked;
    if (k === 'f' && canAnswer && data.responseScripts.length > 0) {
      e.preventDefault();
      setMenuOpen(true);
    } else if (k === 'r' && canAnswer) {
      e.preventDefault();
      replyRef.current?.focus();
    } else if (k === 'e') {
      e.preventDefault();
      toggleArchive();
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keyRef.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!data) {
    return (
      <section className="pane thread" aria-label="Conversation">
        {isError ? (
          <p role="alert" className="error">
            {errorSentence(loadError)}
          </p>
        ) : (
          <p className="muted">Loading the conversation…</p>
        )}
      </section>
    );
  }

  const t = data.thread;
  const who = t.contactName || t.contactPhone;
  const canReply = !t.optedOut && !t.blocked;
  const reason = t.archived ? archivedReasonLabel(data.archivedReason || t.archivedReason || 'user') : '';

  return (
    <section className="pane thread" aria-labelledby="thread-contact">
      <header className="pane-header thread-header">
        <button type="button" className="back" onClick={back} aria-label="Back">
          ‹
        </button>
        <div className="thread-title">
          <h1 id="thread-contact">{who}</h1>
          <p className="muted">
            {/* A contact without a name is already named by the number above. */}
            {t.contactName && <span className="phone">{t.contactPhone}</span>}
            {t.contactName && <span aria-hidden="true"> · </span>}
            <span>{data.actionTitle}</span>{' '}
            <span className={`type-label type-${t.actionType}`}>{actionTypeLabel(t.actionType)}</span>
            {reason && <span className="reason"> · {reason}</span>}
          </p>
        </div>
        <button type="button" onClick={toggleArchive} aria-keyshortcuts="E">
          {t.archived ? 'Unarchive' : 'Archive'}
        </button>
      </header>

      <ConversationTools view={data} />

      {t.optedOut && <p className="notice">{who} opted out: they will not be texted again.</p>}
      {t.blocked && <p className="notice">{who} is blocked.</p>}
      <ConversationNotes view={data} />

      <MessageList messages={data.messages} />

      {actionError && (
        <p role="alert" className="error">
          {actionError}
        </p>
      )}

      {canReply && (
        <div className="composer">
          <div className="composer-tools">
            <FollowUp scripts={data.responseScripts} tagLabel={(key) => data.reportFields.find((f) => f.key === key)?.label ?? key} open={menuOpen} onOpenChange={setMenuOpen} onPick={pick} />
            {!data.allowFreeText && <span className="muted hint">This action allows only its response scripts.</span>}
          </div>
          {data.allowFreeText ? (
            <>
              <label htmlFor="reply">Reply</label>
              <textarea
                id="reply"
                ref={replyRef}
                aria-keyshortcuts="R"
                value={reply}
                placeholder="Type a reply or use Follow Up"
                rows={3}
                aria-describedby="reply-segments"
                onChange={(e) => edit(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                    e.preventDefault();
                    submit();
                  }
                }}
              />
            </>
          ) : (
            // Only the action's scripts may be sent: no box to type in, the picked script shown as it will go.
            <>
              <span id="reply-label" className="reply-label">
                Reply
              </span>
              <p id="reply" className={`reply-preview${reply ? '' : ' muted'}`} aria-labelledby="reply-label" aria-live="polite">
                {reply || 'Pick a reply with Follow Up.'}
              </p>
            </>
          )}
          <SegmentCount id="reply-segments" body={reply.trim()} />
          <button
            type="button"
            ref={sendRef}
            className="primary"
            onClick={submit}
            disabled={send.isPending || reply.trim() === ''}
            aria-describedby="reply-segments"
          >
            Send
          </button>
        </div>
      )}
    </section>
  );
}

/**
 * The quiet line under an outbound text: where it is on its way, or why it
 * did not arrive. Inbound texts have none.
 */
export function messageStatus(m: MessageView): { text: string; problem: boolean } | null {
  if (m.direction !== 'out') return null;
  switch (m.status) {
    case 'delivered':
      return { text: 'Delivered', problem: false };
    case 'sent':
      return { text: 'Sent', problem: false };
    case 'undelivered':
      return { text: m.error ? `Not delivered: ${m.error}` : 'Not delivered', problem: true };
    case 'failed':
      return { text: m.error ? `Not sent: ${m.error}` : 'Not sent', problem: true };
    case 'unknown':
      return { text: 'May not have been sent — ask your organizer', problem: true };
  }
  // Queued or sending, or still in the outbox: a refusal from the server
  // arrives as the error, already in the volunteer's words.
  if (m.error) return { text: `Not sent: ${m.error}`, problem: true };
  return { text: 'Sending…', problem: false };
}

/** How many of the latest messages a conversation opens with (see MessageList). */
const FIRST_MESSAGES = 40;

/**
 * The conversation, scrolled to its latest message. A long one opens on its
 * latest FIRST_MESSAGES in the first frame and takes the older ones in a
 * background render right after (useDeferredValue's initial value): building
 * and laying out 500 bubbles took several frames, and they are above the
 * fold. Mounted once the thread's data is there, once per thread.
 */
function MessageList({ messages }: { messages: MessageView[] }) {
  const all = useDeferredValue(true, false);
  const shown = all || messages.length <= FIRST_MESSAGES ? messages : messages.slice(-FIRST_MESSAGES);
  const listRef = useRef<HTMLOListElement>(null);
  // The latest message is the one to read: keep the list scrolled to the end.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [shown.length]);
  return (
    // A Tab stop: a long conversation (or a short window) scrolls, and the keyboard must scroll it too.
    <ol className="messages" data-testid="message-list" aria-label="Messages" ref={listRef} tabIndex={0}>
      {shown.map((m) => (
        <Message key={m.id} m={m} />
      ))}
    </ol>
  );
}

// Memoised: typing a reply re-renders the thread, not each of its bubbles.
const Message = memo(function Message({ m }: { m: MessageView }) {
  const out = m.direction === 'out';
  const st = messageStatus(m);
  return (
    <li className={`message ${out ? 'out' : 'in'}${m.pending ? ' pending' : ''}${st?.problem ? ' failed' : ''}`}>
      <span className="sr-only">{out ? 'You: ' : 'Them: '}</span>
      <p className="body">{m.body}</p>
      <p className="message-meta">
        <time dateTime={m.createdAt} title={fullTime(m.createdAt)}>
          {shortTime(m.createdAt)}
        </time>
        {st && (
          <span className={`message-status${st.problem ? ' error-text' : ''}`}>
            <span aria-hidden="true"> · </span>
            {st.text}
          </span>
        )}
      </p>
    </li>
  );
});

interface FollowUpProps {
  scripts: ResponseScript[];
  /** The report field's label for a tag a script sets when sent. */
  tagLabel: (key: string) => string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onPick: (s: ResponseScript) => void;
}

/** A menu button listing the action's response scripts (WAI-ARIA menu button pattern). */
function FollowUp({ scripts, tagLabel, open, onOpenChange, onPick }: FollowUpProps) {
  const menuRef = useRef<HTMLUListElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open) menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open]);

  function onMenuKey(e: ReactKeyboardEvent<HTMLUListElement>) {
    const items = Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      items[(i + 1) % items.length]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      items[(i - 1 + items.length) % items.length]?.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      onOpenChange(false);
      buttonRef.current?.focus();
    }
  }

  // Focus leaving the menu (Tab, Shift+Tab, a click elsewhere) closes it, so it never stays open over the messages.
  function onMenuBlur(e: ReactFocusEvent<HTMLUListElement>) {
    if (!menuRef.current?.contains(e.relatedTarget as Node | null)) onOpenChange(false);
  }

  return (
    <div className="follow-up">
      <button
        type="button"
        ref={buttonRef}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls="follow-up-menu"
        aria-keyshortcuts="F"
        // While the menu is open, a press on the button closes it (and must not first blur the menu, which would reopen it).
        onMouseDown={(e) => open && e.preventDefault()}
        onClick={() => {
          if (open) buttonRef.current?.focus();
          onOpenChange(!open);
        }}
        disabled={scripts.length === 0}
        title={scripts.length === 0 ? 'This action has no response scripts' : undefined}
      >
        Follow Up
      </button>
      {open && (
        <ul id="follow-up-menu" role="menu" aria-label="Response scripts" ref={menuRef} onKeyDown={onMenuKey} onBlur={onMenuBlur}>
          {scripts.map((s) => (
            <li
              key={s.id}
              role="menuitem"
              tabIndex={-1}
              onClick={() => onPick(s)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onPick(s);
                }
              }}
            >
              <span className="script-label">{s.label}</span>
              {/* The body in two lines at most; what it sets in the report always shows, on its own line. */}
              <span className="script-body muted">{s.body}</span>
              {s.tags && s.tags.length > 0 && (
                <span className="script-tags muted small"> Sets {s.tags.map(tagLabel).join(', ')} in the report</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
