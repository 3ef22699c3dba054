import { memo, useCallback, useDeferredValue, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from 'react';
import { createPortal } from 'react-dom';
import type { MessageView } from '../../backend';
import { fullTime, shortTime } from '../../lib/format';
import { notSentWhy, type Holdup } from '../outbox/connection';
import { useLayout, type Layout } from '../settings/hooks';

/**
 * The quiet line under an outbound text: where it is on its way, or why it
 * did not arrive. Inbound texts have none.
 */
function messageStatus(m: MessageView, holdup: Holdup = ''): { text: string; problem: boolean } | null {
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
  // A text still in the outbox is not on its way while the server is out of reach, busy, or sync
  // keeps failing: "Sending…" for as long as that lasts read as stuck, as a pending report's line
  // would. (One the server has taken is sending whatever this app's connection does.)
  const why = m.pending ? notSentWhy(holdup) : '';
  if (why && (holdup === 'offline' || holdup === 'busy')) return { text: `Waiting to send: ${why}`, problem: false };
  if (why) return { text: `Not sent yet: ${why}`, problem: false };
  return { text: 'Sending…', problem: false };
}

/**
 * Who sent an outbound text when it was not the signed-in user: in a
 * conversation reassigned to an admin, the volunteer's texts stay theirs.
 * null for the user's own texts (and those still on their way) and for
 * inbound ones.
 */
function otherSender(m: MessageView, me: string | undefined): string | null {
  if (m.direction !== 'out' || !m.sentBy || !me || m.sentBy === me) return null;
  return m.sentByName || 'Another volunteer';
}

/** What the conversation asks of its list. */
export interface MessageListHandle {
  /** To the latest message, following new ones again: the volunteer sent a text, and expects to see it. */
  toLatest(): void;
}

/** How many of the latest messages a conversation opens with (see MessageList). */
const FIRST_MESSAGES = 40;

/** Within this many px of the end counts as "at the latest" (sub-pixel layout, zoom rounding). */
const AT_END_PX = 4;

/**
 * How long after a wheel, touch or key a scroll is still the volunteer's: a
 * smooth or momentum scroll goes on for a while after its last input.
 */
const USER_SCROLL_MS = 1000;

/** How long after a resize a scroll nobody asked for is the browser's own. */
const LAYOUT_SCROLL_MS = 500;

/**
 * What scrolls the messages: the list itself, or in the one-column layout the
 * pane around it, where the whole conversation scrolls above the reply area
 * held at its foot (shell.css). Either opens at its end, the latest message.
 */
function scrollerOf(list: HTMLElement, layout: Layout): HTMLElement {
  return layout === 'narrow' ? (list.closest<HTMLElement>('.main-pane') ?? list) : list;
}

/** The keys that scroll a focused list. */
const SCROLL_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', ' ']);

/**
 * The conversation, scrolled to its latest message. A long one opens on its
 * latest FIRST_MESSAGES in the first frame and takes the older ones in a
 * background render right after (useDeferredValue's initial value): building
 * and laying out 500 bubbles took several frames, and they are above the
 * fold. Mounted once the conversation's data is there, once per conversation.
 */
/**
 * `me`: the signed-in user's id, to tell their texts from those a volunteer sent before a reassign;
 * `who`: the contact's name, to say whose a new reply is; `foot`: where "2 new messages" goes, the
 * box under the list that the one-column layout holds at the pane's foot (without it, after the list);
 * `ref`: toLatest, for Send.
 */
export function MessageList({
  messages,
  holdup = '',
  me,
  who = '',
  foot,
  ref,
}: {
  messages: MessageView[];
  holdup?: Holdup;
  me?: string;
  who?: string;
  foot?: HTMLElement | null;
  ref?: Ref<MessageListHandle>;
}) {
  const all = useDeferredValue(true, false);
  const shown = all || messages.length <= FIRST_MESSAGES ? messages : messages.slice(-FIRST_MESSAGES);
  const listRef = useRef<HTMLOListElement>(null);
  // Whether the volunteer is reading the latest message (true until they scroll up).
  const atEnd = useRef(true);
  const layout = useLayout();
  const layoutNow = useRef(layout);
  layoutNow.current = layout;

  // How many messages came in since the volunteer scrolled up to read earlier ones.
  const [unseen, setUnseen] = useState(0);
  const before = useRef<{ length: number; last: string } | null>(null);
  const lastId = shown.length > 0 ? shown[shown.length - 1].id : '';

  // The latest message is the one to read: a conversation opens at its end, and one followed
  // there follows a new message. One the volunteer scrolled up from stays where they are reading
  // (a reply coming in must not pull the text they read away), and "New message" says it came.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const was = before.current;
    before.current = { length: shown.length, last: lastId };
    if (was && !atEnd.current) {
      // Added at the end, not the older ones taken in after opening (the same last), nor a text
      // the outbox handed to the server (a new id, no more messages).
      const added = lastId !== was.last ? shown.length - was.length : 0;
      if (added > 0) setUnseen((n) => n + added);
      return;
    }
    const el = scrollerOf(list, layoutNow.current);
    el.scrollTop = el.scrollHeight;
    atEnd.current = true;
  }, [shown.length, lastId]);

  // To the latest message, following new ones again.
  const toLatest = useCallback(() => {
    const list = listRef.current;
    if (!list) return;
    const el = scrollerOf(list, layoutNow.current);
    el.scrollTop = el.scrollHeight;
    atEnd.current = true;
    setUnseen(0);
  }, []);
  useImperativeHandle(ref, () => ({ toLatest }), [toLatest]);

  // A resized window (or a reply box that grew, a note that appeared) changes
  // the list's height without a scroll: if the latest message was in view, it
  // stays in view; if the volunteer had scrolled up to read, they stay there.
  // Set up again when the layout changes what scrolls; one that was following follows there too.
  useEffect(() => {
    const list = listRef.current;
    if (!list || typeof ResizeObserver === 'undefined') return;
    const el = scrollerOf(list, layout);
    if (atEnd.current) el.scrollTop = el.scrollHeight;
    // A scroll that does not reach the end is the volunteer leaving it
    // (their wheel, keys, scrollbar, or a screen reader or find-in-page
    // moving for them), except one the browser made itself just after the
    // layout changed, with no input from the volunteer: the clamp of a
    // list that grew, dispatched a frame late, when the window may have
    // shrunk again (a resize in steps). Judged by its distance from the end
    // that clamp read as a move up and the list stopped following (CI
    // caught it twice at 900x560), so a following list is put back at the
    // end instead.
    let layoutAt = -Infinity;
    let inputAt = -Infinity;
    let pointerDown = false;
    const now = () => performance.now();
    const laidOut = () => {
      layoutAt = now();
    };
    const input = () => {
      inputAt = now();
    };
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey) input(); // ctrl+wheel zooms: a layout change, not a scroll
    };
    const onKey = (e: KeyboardEvent) => {
      if (SCROLL_KEYS.has(e.key)) input();
    };
    const down = () => {
      pointerDown = true;
      input();
    };
    const up = () => {
      if (pointerDown) input();
      pointerDown = false;
    };
    const onScroll = () => {
      if (el.scrollHeight - el.scrollTop - el.clientHeight <= AT_END_PX) {
        // At the end, however they got there: the new messages are read.
        atEnd.current = true;
        setUnseen(0);
        return;
      }
      const t = now();
      const unasked = !pointerDown && t - inputAt >= USER_SCROLL_MS;
      if (atEnd.current && unasked && t - layoutAt < LAYOUT_SCROLL_MS) el.scrollTop = el.scrollHeight;
      else atEnd.current = false;
    };
    const observer = new ResizeObserver(() => {
      laidOut();
      if (atEnd.current) el.scrollTop = el.scrollHeight;
      else if (el.scrollHeight - el.scrollTop - el.clientHeight <= AT_END_PX) {
        // A taller window showing the end without a scroll: the new messages are in view.
        atEnd.current = true;
        setUnseen(0);
      }
    });
    el.addEventListener('scroll', onScroll, { passive: true });
    el.addEventListener('wheel', onWheel, { passive: true });
    el.addEventListener('touchmove', input, { passive: true });
    el.addEventListener('keydown', onKey);
    el.addEventListener('pointerdown', down);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', up);
    window.addEventListener('resize', laidOut);
    observer.observe(el);
    // In the pane, what grows is the conversation inside it (a note, the reply box, Instructions
    // opened), not the pane: watched too, so the latest message stays above the reply area.
    if (el !== list) {
      observer.observe(list);
      if (list.parentElement) observer.observe(list.parentElement);
    }
    return () => {
      el.removeEventListener('scroll', onScroll);
      el.removeEventListener('wheel', onWheel);
      el.removeEventListener('touchmove', input);
      el.removeEventListener('keydown', onKey);
      el.removeEventListener('pointerdown', down);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', up);
      window.removeEventListener('resize', laidOut);
      observer.disconnect();
    };
  }, [layout]);

  const said = useLatestStatus(messages, holdup);
  const replied = useNewReplies(messages, who);
  // The keyboard goes on in the messages (this button goes away), which now follow new ones.
  const jump = unseen > 0 && (
    <div className="new-messages">
      <button
        type="button"
        onClick={() => {
          listRef.current?.focus({ preventScroll: true });
          toLatest();
        }}
      >
        <span aria-hidden="true">↓ </span>
        {unseen === 1 ? 'New message' : `${unseen} new messages`}
      </button>
    </div>
  );
  return (
    <>
      {/* A Tab stop: a long conversation (or a short window) scrolls, and the keyboard must scroll it too. */}
      <ol className="messages" data-testid="message-list" aria-label="Messages" ref={listRef} tabIndex={0}>
        {shown.map((m) => (
          <Message key={m.id} m={m} holdup={holdup} sender={otherSender(m, me)} />
        ))}
      </ol>
      {foot ? createPortal(jump, foot) : jump}
      {/* Both mounted with the list, empty: a region inserted with its words already in is often not read. */}
      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="status-announcement">
        {said.problem ? '' : said.text}
      </p>
      <p className="sr-only" aria-live="assertive" aria-atomic="true" data-testid="status-alert">
        {said.problem ? said.text : ''}
      </p>
      {/* A reply to the conversation on screen raises no notice (the Go side tells of it nowhere
          else): a region of its own, as a status change of ours can come in the same moment. */}
      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="reply-announcement">
        {/* Keyed by the arrival: a reply in the same words as the last one said is new words in the
            region too (a region whose text does not change is not read again). */}
        {replied.text && <span key={replied.n}>{replied.text}</span>}
      </p>
    </>
  );
}

/**
 * What to say about the latest outgoing text: its status line each time it
 * changes (Sending…, Sent, Delivered, Not sent), the problems assertively.
 * Nothing when the conversation opens: those are old news, not changes.
 */
function useLatestStatus(messages: MessageView[], holdup: Holdup): { text: string; problem: boolean } {
  let latest: MessageView | undefined;
  for (let i = messages.length - 1; i >= 0 && !latest; i--) if (messages[i].direction === 'out') latest = messages[i];
  const st = latest ? messageStatus(latest, holdup) : null;
  const text = st?.text ?? '';
  const problem = st?.problem ?? false;
  const before = useRef(text);
  const [said, setSaid] = useState({ text: '', problem: false });
  useEffect(() => {
    // By the words: a text the outbox hands to the server changes its id, not its status.
    if (text === before.current) return;
    before.current = text;
    if (text) setSaid({ text: `Your reply: ${text}`, problem });
  }, [text, problem]);
  return said;
}

/**
 * What to say of replies that arrive while the conversation is open: the latest one's words, with
 * how many came at once. Nothing for those it opened with.
 */
function useNewReplies(messages: MessageView[], who: string): { text: string; n: number } {
  const seen = useRef<Set<string> | null>(null);
  if (seen.current === null) seen.current = new Set(messages.filter((m) => m.direction === 'in').map((m) => m.id));
  const [said, setSaid] = useState({ text: '', n: 0 });
  useEffect(() => {
    const known = seen.current!;
    const fresh = messages.filter((m) => m.direction === 'in' && !known.has(m.id));
    if (fresh.length === 0) return;
    fresh.forEach((m) => known.add(m.id));
    const from = who || 'The contact';
    const latest = fresh[fresh.length - 1].body;
    const text = fresh.length === 1 ? `${from} replied: ${latest}` : `${from} sent ${fresh.length} replies. The latest: ${latest}`;
    setSaid((prev) => ({ text, n: prev.n + 1 }));
  }, [messages, who]);
  return said;
}

// Memoised: typing a reply re-renders the conversation, not each of its bubbles.
const Message = memo(function Message({ m, holdup, sender }: { m: MessageView; holdup: Holdup; sender: string | null }) {
  const out = m.direction === 'out';
  const st = messageStatus(m, holdup);
  return (
    <li className={`message ${out ? 'out' : 'in'}${m.pending ? ' pending' : ''}${st?.problem ? ' failed' : ''}`}>
      <span className="sr-only">{sender ? `${sender}: ` : out ? 'You: ' : 'Them: '}</span>
      <p className="body">{m.body}</p>
      <p className="message-meta">
        {sender && (
          <span className="message-sender" aria-hidden="true">
            {sender}
            {' · '}
          </span>
        )}
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
