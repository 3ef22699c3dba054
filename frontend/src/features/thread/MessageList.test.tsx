import { act, fireEvent, render, screen } from '@testing-library/react';
import { MessageList } from './MessageList';
import { aThreadView } from '../../test/fixtures';

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

describe('MessageList', () => {
  beforeEach(() => vi.stubGlobal('ResizeObserver', FakeResizeObserver));
  afterEach(() => vi.unstubAllGlobals());

  it('a resized window keeps the latest message in view when it was', () => {
    render(<MessageList messages={aThreadView().messages} />);
    const list = screen.getByTestId('message-list');
    const size = { scrollHeight: 1000, clientHeight: 400 };
    sized(list, size);
    list.scrollTop = 600;
    fireEvent.scroll(list);
    // A shorter window: the list is shorter, and the browser keeps scrollTop as it was.
    size.clientHeight = 250;
    act(() => resized());
    expect(list.scrollTop).toBe(1000);
  });

  it('a volunteer who scrolled up to read stays where they were', () => {
    render(<MessageList messages={aThreadView().messages} />);
    const list = screen.getByTestId('message-list');
    const size = { scrollHeight: 1000, clientHeight: 400 };
    sized(list, size);
    list.scrollTop = 200;
    fireEvent.scroll(list);
    size.clientHeight = 250;
    act(() => resized());
    expect(list.scrollTop).toBe(200);
  });
});
