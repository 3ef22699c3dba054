// A rejected binding gives the Go error's message as a string; anything else
// (a JS exception) is shown by its message so the volunteer always reads why.
export function errorMessage(err: unknown): string {
  if (typeof err === 'string') return err || 'Something went wrong.';
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

function sameDay(a: Date, b: Date): boolean {
  return (
    a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate()
  );
}

// Made once: a formatter per call costs more than the rest of a message row,
// and a thread of 500 messages must render within a frame.
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Short time for lists: the clock time today, the date otherwise. */
export function shortTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || d.getFullYear() < 2000) return '';
  return sameDay(d, now) ? clock.format(d) : day.format(d);
}

/** Full date and time, for a message's tooltip and the outbox. */
export function fullTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return full.format(d);
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}
