import { createRef } from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MessageList, type MessageListHandle } from './MessageList';
import type { MessageView } from '../../backend';
import { aThreadView } from '../../test/fixtures';
import type { Layout } from '../settings/hooks';

// The layout in force, as the window's width would make it (wide unless a test says otherwise).
const layout = vi.hoisted(() => ({ now: 'wide' as Layout }));
vi.mock('../settings/hooks', async (original) => ({ ...(await original<object>()), useLayout: () => layout.now }));

// jsdom lays nothing out: the list's sizes are set by hand, and
// ResizeObserver (absent there) is a stub whose callback the test calls, as
// the browser does when the window is resized.
let resized: () => void = () => {};
class FakeResizeObserver {
  constructor(cb: () => void) {
    resized = cb;
  }
  observe() {}
  disconnect() {}
}

function sized(el: HTMLElement, size: { scrollHeight: number; clientHeight: number }) {
  Object.defineProperty(el, 'scrollHeight', { configurable: true, get: () => size.scrollHeight });
  Object.defineProperty(el, 'clientHeight', { configurable: true, get: () => size.clientHeight });
}

/** A 1000px conversation in a 400px list, scrolled to its latest message. */
function atTheLatest() {
  render(<MessageList messages={aThreadView().messages} />);
  const list = screen.getByTestId('message-list');
  const size = { scrollHeight: 1000, clientHeight: 400 };
  sized(list, size);
  list.scrollTop = 600;
  fireEvent.scroll(list);
  return { list, size };
}

describe('MessageList', () => {
  beforeEach(() => vi.stubGlobal('ResizeObserver', FakeResizeObserver));
  afterEach(() => vi.unstubAllGlobals());

  it('a resized window keeps the latest message in view when it was', () => {
    const { list, size } = atTheLatest();
    // A shorter window: the list is shorter, and the browser keeps scrollTop as it was.
    size.clientHeight = 250;
    act(() => resized());
    expect(list.scrollTop).toBe(1000);
  });

  it('a volunteer who scrolled up to read stays where they were', () => {
    const { list, size } = atTheLatest();
    fireEvent.wheel(list, { deltaY: -400 }); // then up, to read
    list.scrollTop = 200;
    fireEvent.scroll(list);
    size.clientHeight = 250;
    act(() => resized());
    expect(list.scrollTop).toBe(200);
  });

  it('a window shrinking in steps keeps following: a late scroll event is not a scroll up', () => {
    const { list, size } = atTheLatest();
    // A first step of the resize: the list follows to the end...
    size.clientHeight = 300;
    act(() => resized());
    expect(list.scrollTop).toBe(1000);
    list.scrollTop = 700; // where a browser holds it: the end, scrollHeight - clientHeight
    // ...whose scroll event the browser dispatches a frame later, when the
    // next step has shrunk the list again and the end is further down.
    size.clientHeight = 250;
    fireEvent.scroll(list);
    act(() => resized());
    expect(list.scrollTop).toBe(1000);
  });

  it('a scroll the browser made on its own puts a following list back at the end', () => {
    const { list, size } = atTheLatest();
    // A taller window (the messages fit, the browser clamps scrollTop to 0)
    // and back to the smallest before the list was ever observed at the taller
    // size: the clamp's scroll event arrives in a short list, far from the end.
    fireEvent(window, new Event('resize'));
    size.clientHeight = 1000;
    list.scrollTop = 0;
    size.clientHeight = 400;
    fireEvent.scroll(list);
    expect(list.scrollTop).toBe(1000);
  });

  it('a scroll long after any resize, without the wheel or keys (a screen reader, find in page), leaves the end', () => {
    const { list, size } = atTheLatest();
    list.scrollTop = 250;
    fireEvent.scroll(list);
    size.clientHeight = 300;
    act(() => resized());
    expect(list.scrollTop).toBe(250);
  });

  it('a zoom by ctrl+wheel is a resize, not the volunteer scrolling', () => {
    const { list, size } = atTheLatest();
    fireEvent.wheel(list, { deltaY: -100, ctrlKey: true });
    fireEvent(window, new Event('resize'));
    size.clientHeight = 350; // the browser clamps, and says so a frame late
    list.scrollTop = 300;
    fireEvent.scroll(list);
    expect(list.scrollTop).toBe(1000);
  });

  it('a drag of the scrollbar is the volunteer leaving the end', () => {
    const { list } = atTheLatest();
    fireEvent.pointerDown(list);
    list.scrollTop = 300;
    fireEvent.scroll(list);
    fireEvent.pointerUp(window);
    act(() => resized());
    expect(list.scrollTop).toBe(300);
  });

  it('in a reassigned conversation, the texts the volunteer sent are theirs, not the admin’s', () => {
    const [first, reply] = aThreadView().messages;
    const mine = { ...first, id: 'm3', body: 'Our candidate is Jane Doe.', sentBy: 'u-admin', sentByName: 'Orla Organizer' };
    render(<MessageList me="u-admin" messages={[{ ...first, sentBy: 'u-dana', sentByName: 'Dana Volunteer' }, reply, mine]} />);
    const [theirs, contact, own] = screen.getAllByRole('listitem');
    expect(theirs).toHaveTextContent(/^Dana Volunteer: Hi Ada, will you vote\?Dana Volunteer · /);
    expect(contact).toHaveTextContent(/^Them: Where do I vote\?/);
    expect(own).toHaveTextContent(/^You: Our candidate is Jane Doe\./);
    expect(own).not.toHaveTextContent('Orla Organizer');
  });
});

/** A reply that came in after the conversation opened, the nth. */
function aReply(n: number): MessageView {
  const reply = aThreadView().messages[1];
  return { ...reply, id: `new-${n}`, body: `Reply ${n}`, createdAt: `2026-01-01T11:0${n}:00Z` };
}

// A reply coming in must not pull away the text the volunteer scrolled up to read.
describe('MessageList, a new message while the volunteer reads earlier ones', () => {
  beforeEach(() => vi.stubGlobal('ResizeObserver', FakeResizeObserver));
  afterEach(() => vi.unstubAllGlobals());

  /** Scrolled up from the end to read, by the wheel. */
  function readingEarlier() {
    const old = aThreadView().messages;
    const ref = createRef<MessageListHandle>();
    const view = render(<MessageList ref={ref} messages={old} />);
    const list = screen.getByTestId('message-list');
    const size = { scrollHeight: 1000, clientHeight: 400 };
    sized(list, size);
    list.scrollTop = 600;
    fireEvent.scroll(list);
    fireEvent.wheel(list, { deltaY: -400 });
    list.scrollTop = 200;
    fireEvent.scroll(list);
    const show = (messages: MessageView[]) => view.rerender(<MessageList ref={ref} messages={messages} />);
    const more = (...n: number[]) => show([...old, ...n.map(aReply)]);
    return { list, size, ref, more, show };
  }

  it('keeps them where they are and says so at the foot; Enter takes them to it, and the list follows again', async () => {
    const { list, size, more } = readingEarlier();
    expect(screen.queryByRole('button', { name: /new message/i })).not.toBeInTheDocument();
    size.scrollHeight = 1100;
    more(1);
    expect(list.scrollTop).toBe(200);
    expect(screen.getByRole('button', { name: 'New message' })).toBeInTheDocument();
    size.scrollHeight = 1200;
    more(1, 2);
    expect(list.scrollTop).toBe(200);
    const jump = screen.getByRole('button', { name: '2 new messages' });
    // The next Tab stop after the messages.
    const user = userEvent.setup();
    list.focus();
    await user.tab();
    expect(jump).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(list.scrollTop).toBe(1200);
    expect(list).toHaveFocus();
    expect(screen.queryByRole('button', { name: /new message/i })).not.toBeInTheDocument();
    size.scrollHeight = 1300;
    more(1, 2, 3);
    expect(list.scrollTop).toBe(1300);
    expect(screen.queryByRole('button', { name: /new message/i })).not.toBeInTheDocument();
  });

  it('the control goes when they scroll to the end themselves', () => {
    const { list, size, more } = readingEarlier();
    size.scrollHeight = 1100;
    more(1);
    expect(screen.getByRole('button', { name: 'New message' })).toBeInTheDocument();
    fireEvent.keyDown(list, { key: 'End' });
    list.scrollTop = 700; // the end: scrollHeight - clientHeight
    fireEvent.scroll(list);
    expect(screen.queryByRole('button', { name: /new message/i })).not.toBeInTheDocument();
  });

  it('the control goes when a taller window shows the end', () => {
    const { size, more } = readingEarlier();
    size.scrollHeight = 1100;
    more(1);
    size.clientHeight = 900; // 200 + 900: the end in view, with no scroll
    act(() => resized());
    expect(screen.queryByRole('button', { name: /new message/i })).not.toBeInTheDocument();
  });

  it('their own text (Send) takes them to the end, and it comes in there', () => {
    const { list, size, ref, more } = readingEarlier();
    act(() => ref.current!.toLatest());
    expect(list.scrollTop).toBe(1000);
    size.scrollHeight = 1100;
    more(1);
    expect(list.scrollTop).toBe(1100);
    expect(screen.queryByRole('button', { name: /new message/i })).not.toBeInTheDocument();
  });

  it('a text the outbox handed to the server (a new id, no more messages) is no new message', () => {
    const { list, more, show } = readingEarlier();
    more(1);
    const old = aThreadView().messages;
    show([...old, { ...aReply(1), id: 'from-the-server' }]);
    expect(list.scrollTop).toBe(200);
    expect(screen.getByRole('button', { name: 'New message' })).toBeInTheDocument();
  });
});

// One column (a window half a laptop's screen wide): the whole conversation scrolls in the pane,
// the reply area held at its foot, so the pane is what opens at, and follows, the latest message.
describe('MessageList in the one-column layout', () => {
  beforeEach(() => {
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
    layout.now = 'narrow';
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    layout.now = 'wide';
  });

  /** The conversation 1500px tall in a 400px pane. */
  function inAPane(messages = aThreadView().messages) {
    const pane = document.createElement('div');
    pane.className = 'main-pane';
    document.body.appendChild(pane);
    const size = { scrollHeight: 1500, clientHeight: 400 };
    sized(pane, size);
    const view = render(<MessageList messages={messages} />, { container: pane });
    return { pane, size, ...view };
  }

  it('opens at the latest message, and follows one that arrives', () => {
    const old = aThreadView().messages;
    const { pane, size, rerender } = inAPane(old);
    expect(pane.scrollTop).toBe(1500);
    pane.scrollTop = 1100; // where a browser holds it: scrollHeight - clientHeight
    fireEvent.scroll(pane);
    size.scrollHeight = 1600;
    rerender(<MessageList messages={[...old, { ...old[1], id: 'm3', body: 'And where do I park?' }]} />);
    expect(pane.scrollTop).toBe(1600);
  });

  it('keeps the latest message above the reply area when the conversation grows (Instructions opened)', () => {
    const { pane, size } = inAPane();
    pane.scrollTop = 1100;
    fireEvent.scroll(pane);
    size.scrollHeight = 1700;
    act(() => resized());
    expect(pane.scrollTop).toBe(1700);
  });

  it('a volunteer who scrolled up to the header stays there', () => {
    const { pane, size } = inAPane();
    fireEvent.wheel(pane, { deltaY: -400 });
    pane.scrollTop = 0;
    fireEvent.scroll(pane);
    size.scrollHeight = 1700;
    act(() => resized());
    expect(pane.scrollTop).toBe(0);
  });
});

describe('MessageList in the one-column layout, a new message while the volunteer reads earlier ones', () => {
  beforeEach(() => {
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
    layout.now = 'narrow';
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    layout.now = 'wide';
  });

  it('keeps the pane where they read, and the control takes them to the latest', async () => {
    const pane = document.createElement('div');
    pane.className = 'main-pane';
    document.body.appendChild(pane);
    const size = { scrollHeight: 1500, clientHeight: 400 };
    sized(pane, size);
    const old = aThreadView().messages;
    const { rerender } = render(<MessageList messages={old} />, { container: pane });
    expect(pane.scrollTop).toBe(1500);
    fireEvent.wheel(pane, { deltaY: -400 });
    pane.scrollTop = 300;
    fireEvent.scroll(pane);
    size.scrollHeight = 1600;
    rerender(<MessageList messages={[...old, aReply(1)]} />);
    expect(pane.scrollTop).toBe(300);
    await userEvent.setup().click(screen.getByRole('button', { name: 'New message' }));
    expect(pane.scrollTop).toBe(1600);
    expect(screen.getByTestId('message-list')).toHaveFocus();
    expect(screen.queryByRole('button', { name: /new message/i })).not.toBeInTheDocument();
  });
});

describe('MessageList status announcements', () => {
  beforeEach(() => vi.stubGlobal('ResizeObserver', FakeResizeObserver));
  afterEach(() => vi.unstubAllGlobals());

  it('says the latest reply’s status as it changes, problems assertively, and nothing on open', () => {
    const old = aThreadView().messages; // a delivered text and a reply to it
    const { rerender } = render(<MessageList messages={old} />);
    const polite = screen.getByTestId('status-announcement');
    const assertive = screen.getByTestId('status-alert');
    expect(polite).toHaveAttribute('aria-live', 'polite');
    expect(assertive).toHaveAttribute('aria-live', 'assertive');
    expect(polite).toBeEmptyDOMElement();
    expect(assertive).toBeEmptyDOMElement();

    const reply = { ...old[0], id: 'm3', body: 'See you there', status: 'queued', pending: true, initial: false, createdAt: '2026-01-01T11:00:00Z' };
    rerender(<MessageList messages={[...old, reply]} />);
    expect(screen.getByTestId('status-announcement')).toHaveTextContent('Your reply: Sending…');
    rerender(<MessageList messages={[...old, { ...reply, status: 'sent', pending: false }]} />);
    expect(screen.getByTestId('status-announcement')).toHaveTextContent('Your reply: Sent');
    rerender(<MessageList messages={[...old, { ...reply, status: 'failed', pending: false, error: 'the number is not in service' }]} />);
    expect(screen.getByTestId('status-alert')).toHaveTextContent('Your reply: Not sent: the number is not in service');
    expect(screen.getByTestId('status-announcement')).toBeEmptyDOMElement();
  });

  it('says a reply that arrives while the conversation is open, with its words; nothing for those it opened with', () => {
    const old = aThreadView().messages; // a delivered text and a reply to it
    const { rerender } = render(<MessageList messages={old} who="Ada Lovelace" />);
    const region = screen.getByTestId('reply-announcement');
    expect(region).toHaveAttribute('aria-live', 'polite');
    expect(region).toBeEmptyDOMElement();
    const reply = { ...old[1], id: 'm3', body: 'Thanks, I will be voting.', createdAt: '2026-01-01T11:00:00Z' };
    rerender(<MessageList messages={[...old, reply]} who="Ada Lovelace" />);
    expect(region).toHaveTextContent('Ada Lovelace replied: Thanks, I will be voting.');
    const two = [{ ...reply, id: 'm4', body: 'Is there parking?' }, { ...reply, id: 'm5', body: 'Never mind.' }];
    rerender(<MessageList messages={[...old, reply, ...two]} who="Ada Lovelace" />);
    expect(region).toHaveTextContent('Ada Lovelace sent 2 replies. The latest: Never mind.');
    // A status change of our own text is not a reply.
    rerender(<MessageList messages={[...old, reply, ...two, { ...old[0], id: 'm6', status: 'queued', pending: true }]} who="Ada Lovelace" />);
    expect(region).toHaveTextContent('Ada Lovelace sent 2 replies. The latest: Never mind.');
  });

  // A screen reader reads a live region when its words change; a second reply in the very words of
  // the last one said must still change what is in it, or it goes unheard.
  it('says a second reply in the same words as the last one again', () => {
    const old = aThreadView().messages;
    const yes = { ...old[1], id: 'm3', body: 'Yes', createdAt: '2026-01-01T11:00:00Z' };
    const { rerender } = render(<MessageList messages={[...old, yes]} who="Ada Lovelace" />);
    rerender(<MessageList messages={[...old, yes]} who="Ada Lovelace" />);
    const region = screen.getByTestId('reply-announcement');
    expect(region).toBeEmptyDOMElement();
    const again = { ...yes, id: 'm4', createdAt: '2026-01-01T11:01:00Z' };
    rerender(<MessageList messages={[...old, yes, again]} who="Ada Lovelace" />);
    expect(region).toHaveTextContent('Ada Lovelace replied: Yes');
    const first = region.firstChild;
    rerender(<MessageList messages={[...old, yes, again, { ...again, id: 'm5' }]} who="Ada Lovelace" />);
    expect(region).toHaveTextContent('Ada Lovelace replied: Yes');
    // New words in the region: what was said before left it and the same words came in anew.
    expect(region.firstChild).not.toBe(first);
    expect(first?.isConnected).toBe(false);
  });
});
