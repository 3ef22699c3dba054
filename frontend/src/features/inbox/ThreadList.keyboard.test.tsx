import { act, screen, waitFor, within } from '@testing-library/react';
import { onTestFinished } from 'vitest';
import { ThreadList } from './ThreadList';
import * as fake from '../../test/fakeBackend';
import { aSummary } from '../../test/fixtures';
import { renderScreen } from '../../test/render';
import { applyInboxChange } from '../../lib/useBackendEvents';

// The conversation list by keyboard: one Tab stop, the arrows, J and K, E,
// End, and where focus goes when a row leaves (ThreadList.test.tsx has the
// rest of the list).

function setup(path = '/c/c1') {
  return renderScreen(<ThreadList />, { pattern: '/c/:campaignId/*', path });
}

/** A conversation's row and its button, found by its id: cheap enough to ask every frame, where a query by role over the page is not. */
function row(threadId: string) {
  return document.querySelector<HTMLElement>(`[data-thread-id="${threadId}"]`);
}
function rowButton(threadId: string) {
  return row(threadId)?.querySelector<HTMLElement>('.thread-open') ?? null;
}

/**
 * Animation frames run only when the test runs them, each 16 ms later on the clock they read
 * (performance.now: the list's focusWhenDrawn tries for a second of it, the virtualiser
 * reconciles its scroll by it). Put back when the test ends.
 */
function framesByHand() {
  let now = performance.now();
  let queued = new Map<number, FrameRequestCallback>();
  let id = 0;
  const spies = [
    vi.spyOn(performance, 'now').mockImplementation(() => now),
    vi.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => {
      queued.set(++id, cb);
      return id;
    }),
    vi.spyOn(window, 'cancelAnimationFrame').mockImplementation((n) => void queued.delete(n)),
  ];
  onTestFinished(() => spies.forEach((s) => s.mockRestore()));
  async function frame() {
    now += 16;
    const due = queued;
    queued = new Map();
    await act(async () => due.forEach((cb) => cb(now)));
  }
  return {
    async run(n: number) {
      for (let i = 0; i < n; i++) await frame();
    },
    /** Runs frames until `done`, failing past two seconds of them (the list tries for one). */
    async runUntil(what: string, done: () => boolean) {
      for (let i = 0; i < 120 && !done(); i++) await frame();
      expect(done(), `${what} within 120 frames`).toBe(true);
    },
  };
}

describe('ThreadList by keyboard', () => {
  it('the list is one Tab stop (the open or last focused row), arrows move in it, J opens the next', async () => {
    fake.threads.mockResolvedValue([aSummary(1), aSummary(2), aSummary(3)]);
    const { user, router } = renderScreen(<ThreadList />, { pattern: '/c/:campaignId/thread/:threadId', path: '/c/c1/thread/t2' });
    const rows = await screen.findAllByTestId('thread-row');
    const buttons = rows.map((r) => within(r).getByRole('button', { name: /^Contact/ }));
    expect(buttons.map((b) => b.tabIndex)).toEqual([-1, 0, -1]);
    act(() => buttons[1].focus());
    await user.keyboard('{ArrowDown}');
    expect(buttons[2]).toHaveFocus();
    await waitFor(() => expect(buttons.map((b) => b.tabIndex)).toEqual([-1, -1, 0]));
    await user.keyboard('k');
    expect(router.state.location.pathname).toBe('/c/c1/thread/t1');
    await user.keyboard('j');
    expect(router.state.location.pathname).toBe('/c/c1/thread/t2');
    // J leaves focus on the opened row once the list has followed the
    // navigation (on a busy machine after the key's own task): only then
    // is / pressed, or that late focus would take it back from the search.
    await waitFor(() => expect(within(screen.getAllByTestId('thread-row')[1]).getByRole('button', { name: /^Contact 2/ })).toHaveFocus());
    await user.keyboard('/');
    expect(screen.getByRole('searchbox')).toHaveFocus();
  });

  // On a busy machine the list scrolled by End drew its last row frames later; the row that had
  // focus had left the page meanwhile, and End and the arrows, pressed on the page body, did nothing.
  // The frames here are the test's (framesByHand): a machine starved by a neighbour's e2e run took
  // real frames from the list's one-second try and the End never reached the last row.
  it('End keeps the keyboard in the list when the row it scrolls to is drawn frames later', async () => {
    fake.threads.mockResolvedValueOnce(Array.from({ length: 150 }, (_, i) => aSummary(i + 1))).mockResolvedValue([]);
    const { user } = setup();
    const rows = await screen.findAllByTestId('thread-row');
    const list = document.querySelector<HTMLElement>('.list-scroll')!;
    // The scroll lands when the test says so, as on a machine drawing a frame in 100 ms.
    let top = 0;
    let land = () => {};
    Object.defineProperty(list, 'scrollTop', { configurable: true, get: () => top });
    Object.defineProperty(list, 'scrollHeight', { configurable: true, get: () => 150 * 84 });
    list.scrollTo = ((o: ScrollToOptions) => {
      land = () => {
        top = o.top ?? 0;
        list.dispatchEvent(new Event('scroll'));
      };
    }) as typeof list.scrollTo;
    const frames = framesByHand();
    act(() => within(rows[0]).getByRole('button', { name: /^Contact 1/ }).focus());
    await user.keyboard('{End}');
    await frames.run(6);
    expect(rowButton('t150'), 'the last row drawn before the scroll landed').toBeNull();
    act(() => land());
    await frames.runUntil('focus on the last row', () => document.activeElement === rowButton('t150'));
    expect(within(row('t150')!).getByRole('button', { name: /^Contact 150/ })).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    await frames.run(6);
    act(() => land());
    await frames.runUntil('focus on the row above', () => document.activeElement === rowButton('t149'));
    expect(within(row('t149')!).getByRole('button', { name: /^Contact 149/ })).toHaveFocus();
  });

  it('E on a focused row puts focus on the row that takes its place, once it has left (by id, not place)', async () => {
    fake.threads.mockResolvedValue([aSummary(1), aSummary(2), aSummary(3)]);
    // A frame can come before the row leaves (the archive first cancels the list's fetches):
    // frames run at once here, the worst case.
    vi.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => {
      cb(performance.now());
      return 0;
    });
    const { user } = setup();
    const rows = await screen.findAllByTestId('thread-row');
    act(() => within(rows[1]).getByRole('button', { name: /^Contact 2/ }).focus());
    await user.keyboard('e');
    await waitFor(() => expect(screen.getAllByTestId('thread-row')).toHaveLength(2));
    await waitFor(() => expect(screen.getByRole('button', { name: /^Contact 3/ })).toHaveFocus());
    vi.mocked(window.requestAnimationFrame).mockRestore();
  });

  it('a row’s own Archive button, pressed (a screen reader’s browse mode, a click), leaves focus on the row that takes its place, not the page', async () => {
    fake.threads.mockResolvedValue([aSummary(1), aSummary(2), aSummary(3)]);
    const { user } = setup();
    const rows = await screen.findAllByTestId('thread-row');
    await user.click(within(rows[1]).getByRole('button', { name: 'Archive Contact 2' }));
    await waitFor(() => expect(screen.getAllByTestId('thread-row')).toHaveLength(2));
    await waitFor(() => expect(screen.getByRole('button', { name: /^Contact 3/ })).toHaveFocus());
  });

  it('after the open conversation leaves the list (archived), J opens the one after it and K the one before', async () => {
    fake.threads.mockResolvedValue([aSummary(1), aSummary(2), aSummary(3), aSummary(4)]);
    const { user, router, queryClient } = renderScreen(<ThreadList />, { pattern: '/c/:campaignId/thread/:threadId', path: '/c/c1/thread/t3' });
    await screen.findAllByTestId('thread-row');
    // Archived from its header (or by a report with Automatic Archive): the Go side's row says where it went now.
    const leave = (n: number) =>
      act(() =>
        applyInboxChange(queryClient, {
          threadIds: [`t${n}`],
          threads: [aSummary(n, { archived: true, archivedReason: 'user', filters: ['archive'] })],
          counts: {},
        }),
      );
    leave(3);
    await waitFor(() => expect(screen.getAllByTestId('thread-row')).toHaveLength(3));
    await user.keyboard('j');
    expect(router.state.location.pathname).toBe('/c/c1/thread/t4');
    leave(4);
    await waitFor(() => expect(screen.getAllByTestId('thread-row')).toHaveLength(2));
    await user.keyboard('k');
    expect(router.state.location.pathname).toBe('/c/c1/thread/t2');
  });
});
