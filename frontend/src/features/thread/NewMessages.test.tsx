import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aThreadView } from '../../test/fixtures';
import { openThread } from '../../test/openThread';
import { keys } from '../../lib/queryKeys';

// The conversation as texts come in while the volunteer has scrolled up to read earlier ones
// (MessageList.test.tsx has the list's own rules): where "New message" goes, and what Send does.
describe('ThreadView, texts coming in while the volunteer reads earlier ones', () => {
  beforeEach(() => vi.stubGlobal('ResizeObserver', class { observe() {} disconnect() {} }));
  afterEach(() => vi.unstubAllGlobals());

  /** The conversation open, its 1000px of messages in a 400px list scrolled up from the end by the wheel. */
  async function readingEarlier() {
    const view = aThreadView();
    const utils = await openThread(view);
    const list = screen.getByTestId('message-list');
    const size = { scrollHeight: 1000, clientHeight: 400 };
    Object.defineProperty(list, 'scrollHeight', { configurable: true, get: () => size.scrollHeight });
    Object.defineProperty(list, 'clientHeight', { configurable: true, get: () => size.clientHeight });
    list.scrollTop = 600;
    fireEvent.scroll(list);
    fireEvent.wheel(list, { deltaY: -400 });
    list.scrollTop = 200;
    fireEvent.scroll(list);
    return { ...utils, view, list, size };
  }

  it('says a reply came over the foot of the messages, in the box the reply area is in', async () => {
    const { view, list, size, queryClient } = await readingEarlier();
    fake.thread.mockResolvedValue({ ...view, messages: [...view.messages, { ...view.messages[1], id: 'm3', body: 'Is there parking?' }] });
    size.scrollHeight = 1100;
    await act(() => queryClient.invalidateQueries({ queryKey: keys.thread('t1') }));
    const jump = await screen.findByRole('button', { name: 'New message' });
    expect(list.scrollTop).toBe(200);
    // The one-column layout holds this box at the pane's foot (shell.css): the control must be in it.
    const foot = jump.closest('.thread-foot');
    expect(foot).not.toBeNull();
    expect(foot).toContainElement(screen.getByRole('button', { name: 'Send' }));
  });

  it('Send takes them to the latest message, where their own text comes in', async () => {
    const { view, list, size, user } = await readingEarlier();
    const body = 'You can find your polling place at vote.example.org.';
    const mine = { ...view.messages[0], id: 'm3', body, status: 'queued', pending: true, initial: false, createdAt: '2026-01-01T11:00:00Z' };
    fake.thread.mockResolvedValue({ ...view, messages: [...view.messages, mine] });
    await user.click(screen.getByRole('button', { name: 'Follow Up' }));
    await user.click(within(screen.getByRole('menu')).getByRole('menuitem', { name: /^Polling place/ }));
    size.scrollHeight = 1100; // with their text, whenever it comes
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(within(list).getByText(body)).toBeInTheDocument());
    expect(list.scrollTop).toBe(1100);
    expect(screen.queryByRole('button', { name: /new message/i })).not.toBeInTheDocument();
  });
});
