// A rejected binding gives the Go error's message as a string; anything else
// (a JS exception) is shown by its message so the volunteer always reads why.
// The words stay as they are (lower case, no full stop), so a screen can put
// them after its own ("The report was not saved: ..."); errorSentence is the
// same message standing alone.
export function errorMessage(err: unknown): string {
  let text = '';
  if (typeof err === 'string') text = err;
  else if (err instanceof Error) text = err.message;
  return plainWords(text) || 'Something went wrong.';
}

/** An error as a sentence of its own: a capital first letter and a full stop. */
export function errorSentence(err: unknown): string {
  return sentence(errorMessage(err));
}

/** Text with a capital first letter and a closing full stop (unless it ends in one already). */
export function sentence(text: string): string {
  const t = closed(text);
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** Text with a closing full stop (unless it ends in one already): the end of a sentence begun before it. */
export function closed(text: string): string {
  const t = text.trim();
  return t === '' || /[.!?…/]$/.test(t) ? t : `${t}.`;
}

// The Go client names an unreachable server and then the transport's own
// words ('Post "http://…/api/v1/login": dial tcp 127.0.0.1:8787: connect:
// connection refused'), which are for the log. The volunteer reads what to do.
const unreachable = /cannot reach the campaign server at (\S+): .*$/s;

function plainWords(text: string): string {
  return text.replace(
    unreachable,
    (_, url: string) => `can't reach the campaign server at ${url}. Check your internet connection, or the server address in Settings`,
  );
}

function sameDay(a: Date, b: Date): boolean {
  return (
    a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate()
  );
}

// Made once: a formatter per call costs more than the rest of a message row,
// and a conversation of 500 messages must render within a frame.
// 'numeric' hours: 9:05 AM where the clock has 12 hours, 09:05 where it has 24.
const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
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

// Numbers are shown as Go writes them (backend/phone Display, "(602) 555-0107",
// "+44 20 7946 0958"): every row and view brings its number's display form
// and names a contact without a name by it (texting.DisplayName), so the
// window formats no number itself.

/** Whether a contact has a name of their own, not the display form of their number the Go side names them by otherwise. */
export function hasName(name: string | undefined, phoneDisplay: string): boolean {
  const n = (name ?? '').trim();
  return n !== '' && n !== phoneDisplay.trim();
}

/**
 * Where a demo's campaign server is, in words: it runs inside the app on a loopback address, which
 * says nothing to a volunteer (the log has it: "demo campaign server running").
 */
export const DEMO_SERVER = 'Demo server on this computer';
