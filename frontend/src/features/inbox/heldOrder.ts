import { useRef, useState } from 'react';
import type { ThreadSummary } from '../../backend';

interface Held {
  list: string;
  ids: string[];
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
export function useHeldOrder(live: ThreadSummary[], list: string) {
  const [over, setOver] = useState(false);
  const held = useRef<Held | null>(null);
  if (!over || held.current?.list !== list) {
    held.current = { list, ids: live.map((t) => t.id) };
    return { rows: live, waiting: 0, holdProps: { onPointerEnter: () => setOver(true), onPointerLeave: () => setOver(false) } };
  }
  const h = held.current;
  const at = new Map(live.map((t, i) => [t.id, i]));
  const kept = h.ids.filter((id) => at.has(id)).map((id) => live[at.get(id)!]);
  const shownIds = new Set(h.ids);
  const lowest = kept.reduce((low, t) => Math.max(low, at.get(t.id)!), -1);
  const below = live.filter((t, i) => !shownIds.has(t.id) && i > lowest);
  const rows = [...kept, ...below];
  h.ids = rows.map((t) => t.id);
  // Every listed conversation is a row (kept or below): the rest wait above.
  return { rows, waiting: live.length - rows.length, holdProps: { onPointerEnter: () => setOver(true), onPointerLeave: () => setOver(false) } };
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
