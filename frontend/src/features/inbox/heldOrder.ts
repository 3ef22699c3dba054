import { useMemo, useRef, useState } from 'react';
import type { ThreadSummary } from '../../backend';

/** The order on screen: rows, made from the list's rows from, and how many wait above. */
interface Held extends Order {
  list: string;
  from: ThreadSummary[];
}

/**
 * The list's rows in an order that holds still while the pointer is over the
 * list: a reply arriving just before a click would otherwise move the rows,
 * and the click would open a conversation the volunteer did not aim at.
 * While held, rows keep their places (their words and marks still update),
 * rows that left the list leave, rows a newly loaded page brings go below, and
 * conversations that would come in above wait, counted in waiting; the new
 * order is applied once the pointer leaves. Only those are counted: a listed
 * row's reply already shows in its row, and its move up on leaving brings the
 * volunteer nothing they have not seen. Keyboard focus needs no hold: it stays on
 * its conversation's row wherever that row goes.
 */
export function useHeldOrder(pages: ThreadSummary[][] | undefined, list: string) {
  const [over, setOver] = useState(false);
  const held = useRef<Held | null>(null);
  // The list renders on every scroll event; the order is worked out again only when the pages
  // (the query's own array, kept while nothing in it changed), the pointer or the list changed.
  // Worked out on each render, it cost 10-170 ms a frame of wheel scrolling with 10,000 rows loaded.
  const last = useRef<{ pages?: ThreadSummary[][]; live: ThreadSummary[]; over: boolean; list: string; order: Order } | null>(null);
  const holdProps = useMemo(() => ({ onPointerEnter: () => setOver(true), onPointerLeave: () => setOver(false) }), []);
  const was = last.current;
  if (was && was.pages === pages && was.over === over && was.list === list) return { ...was.order, holdProps };
  const live = was && was.pages === pages ? was.live : (pages?.flat() ?? []);
  const order = heldOrder(held, live, list, over);
  last.current = { pages, live, over, list, order };
  return { ...order, holdProps };
}

interface Order {
  rows: ThreadSummary[];
  waiting: number;
}

function heldOrder(held: { current: Held | null }, live: ThreadSummary[], list: string, over: boolean): Order {
  const h = held.current;
  if (!over || h?.list !== list) {
    held.current = { list, from: live, rows: live, waiting: 0 };
    return held.current;
  }
  // The rows on screen were made from these very rows (the pointer just came over the list):
  // they hold as they are. Worked out again, 12,000 rows took 250 ms, on the frame the pointer entered.
  if (h.from === live) return h;
  const at = new Map(live.map((t, i) => [t.id, i]));
  const kept = h.rows.filter((t) => at.has(t.id)).map((t) => live[at.get(t.id)!]);
  const shownIds = new Set(h.rows.map((t) => t.id));
  const lowest = kept.reduce((low, t) => Math.max(low, at.get(t.id)!), -1);
  const below = live.filter((t, i) => !shownIds.has(t.id) && i > lowest);
  const rows = [...kept, ...below];
  // Every listed conversation is a row (kept or below): the rest wait above.
  held.current = { list, from: live, rows, waiting: live.length - rows.length };
  return held.current;
}

/**
 * The note over the held list's foot: how many wait, where they will go,
 * and what lets them in. The pointer is named: "move off the list" read as
 * the conversations having moved. One line in the list's column at 1024 px:
 * no longer than that wording was (38 characters; "3 new above: move
 * the pointer away" is 34, and stays short as counts grow).
 */
export function heldNote(waiting: number): string {
  return `${waiting} new above: move the pointer away`;
}
