import { memo, useDeferredValue, useEffect, useLayoutEffect, useRef } from 'react';
import type { MessageView } from '../../backend';
import { fullTime, shortTime } from '../../lib/format';

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

/** Within this many px of the end counts as "at the latest" (sub-pixel layout, zoom rounding). */
const AT_END_PX = 4;

/**
 * How long after a wheel, touch or key a scroll is still the volunteer's: a
 * smooth or momentum scroll goes on for a while after its last input.
 */
const USER_SCROLL_MS = 1000;

/**
 * The conversation, scrolled to its latest message. A long one opens on its
 * latest FIRST_MESSAGES in the first frame and takes the older ones in a
 * background render right after (useDeferredValue's initial value): building
 * and laying out 500 bubbles took several frames, and they are above the
 * fold. Mounted once the thread's data is there, once per thread.
 */
export function MessageList({ messages }: { messages: MessageView[] }) {
  const all = useDeferredValue(true, false);
  const shown = all || messages.length <= FIRST_MESSAGES ? messages : messages.slice(-FIRST_MESSAGES);
  const listRef = useRef<HTMLOListElement>(null);
  // Whether the volunteer is reading the latest message (true until they scroll up).
  const atEnd = useRef(true);

  // The latest message is the one to read: keep the list scrolled to the end.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
    atEnd.current = true;
  }, [shown.length]);

  // A resized window (or a reply box that grew, a note that appeared) changes
  // the list's height without a scroll: if the latest message was in view, it
  // stays in view; if the volunteer had scrolled up to read, they stay there.
  useEffect(() => {
    const el = listRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    // Only the volunteer leaves the end: a scroll that follows their wheel,
    // touch, key or scrollbar drag. The browser scrolls the list by itself
    // too, clamping it when the box grows, and dispatches that scroll event a
    // frame late, when the box may have shrunk again (a window resized in
    // steps): judged by its distance from the end, it read as a scroll up
    // and the list stopped following (CI caught this twice at 900x560). A
    // scroll nobody asked for puts a following list back at the end.
    let inputAt = -Infinity;
    let pointerDown = false;
    const input = () => {
      inputAt = performance.now();
    };
    const down = () => {
      pointerDown = true;
      input();
    };
    const up = () => {
      pointerDown = false;
      input();
    };
    const onScroll = () => {
      if (el.scrollHeight - el.scrollTop - el.clientHeight <= AT_END_PX) atEnd.current = true;
      else if (pointerDown || performance.now() - inputAt < USER_SCROLL_MS) atEnd.current = false;
      else if (atEnd.current) el.scrollTop = el.scrollHeight;
    };
    const inputs: [string, () => void][] = [
      ['wheel', input],
      ['touchmove', input],
      ['keydown', input],
      ['pointerdown', down],
    ];
    for (const [type, fn] of inputs) el.addEventListener(type, fn, { passive: true });
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', up);
    const observer = new ResizeObserver(() => {
      if (atEnd.current) el.scrollTop = el.scrollHeight;
    });
    el.addEventListener('scroll', onScroll, { passive: true });
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      for (const [type, fn] of inputs) el.removeEventListener(type, fn);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', up);
      observer.disconnect();
    };
  }, []);

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
