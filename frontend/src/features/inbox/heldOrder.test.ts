import { act, renderHook } from '@testing-library/react';
import type { ThreadSummary } from '../../backend';
import { aSummary } from '../../test/fixtures';
import { useHeldOrder } from './heldOrder';

const list = 'c1\nall\n';

function hold(pages: ThreadSummary[][]) {
  const hook = renderHook(({ pages }) => useHeldOrder(pages, list), { initialProps: { pages } });
  act(() => hook.result.current.holdProps.onPointerEnter());
  return hook;
}

describe('useHeldOrder', () => {
  // The list renders on every scroll event: with 10,000 rows loaded and the pointer over the
  // list (as it is while the wheel scrolls), working the order out on each took 10-170 ms a frame.
  it('gives the same rows, not a new order, on a render whose pages did not change', () => {
    const pages = [[aSummary(1), aSummary(2)], [aSummary(3)]];
    const hook = hold(pages);
    const held = hook.result.current.rows;
    hook.rerender({ pages });
    expect(hook.result.current.rows).toBe(held);
    expect(hook.result.current.rows.map((t) => t.id)).toEqual(pages.flat().map((t) => t.id));
  });

  // With 12,000 rows loaded, working the order out as the pointer came over the list took 250 ms.
  it('takes the rows on screen as they are when the pointer comes over the list', () => {
    const pages = [[aSummary(1), aSummary(2)], [aSummary(3)]];
    const hook = renderHook(({ pages }) => useHeldOrder(pages, list), { initialProps: { pages } });
    const shown = hook.result.current.rows;
    act(() => hook.result.current.holdProps.onPointerEnter());
    expect(hook.result.current.rows).toBe(shown);
    expect(hook.result.current.waiting).toBe(0);
  });

  it('while held, still keeps the rows in place and counts those that would come in above', () => {
    const hook = hold([[aSummary(1), aSummary(2)]]);
    hook.rerender({ pages: [[aSummary(3), aSummary(1), aSummary(2)], [aSummary(4)]] });
    expect(hook.result.current.rows.map((t) => t.id)).toEqual([aSummary(1).id, aSummary(2).id, aSummary(4).id]);
    expect(hook.result.current.waiting).toBe(1);
    act(() => hook.result.current.holdProps.onPointerLeave());
    expect(hook.result.current.rows.map((t) => t.id)).toEqual([3, 1, 2, 4].map((i) => aSummary(i).id));
    expect(hook.result.current.waiting).toBe(0);
  });
});
