import type { Action, TextingHours } from '../backend';
import { plural } from './format';

/** "09:00" → "9 AM", "13:30" → "1:30 PM", "24:00" → "midnight" (the server's refusals say hours alike: quiethours.Words). */
export function clockLabel(hhmm: string): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return hhmm;
  const h = Number(m[1]);
  const min = m[2];
  if ((h === 0 || h === 24) && min === '00') return 'midnight';
  if (h === 12 && min === '00') return 'noon';
  const suffix = h < 12 || h === 24 ? 'AM' : 'PM';
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${h12}${min === '00' ? '' : `:${min}`} ${suffix}`;
}

/**
 * The action's texting hours as the volunteer reads them:
 * "Texting hours: 9 AM–9 PM in each contact's time zone", or "any time"
 * when the window is the whole day (textingAnyTime: the Go side's
 * quiethours.WholeDay decides, the rule's one home).
 */
export function textingHoursLabel(a: Pick<Action, 'textingHours' | 'textingAnyTime'>): string {
  const h: TextingHours | undefined = a.textingHours;
  if (a.textingAnyTime || !h || !h.start || !h.end) return 'Texting hours: any time';
  return `Texting hours: ${clockLabel(h.start.trim())}–${clockLabel(h.end.trim())} in each contact's time zone`;
}

/** "Batch size: 100 contacts" (the server stores the campaign file's default when the action sets none). */
export function batchSizeLabel(a: Pick<Action, 'batchSize'>): string {
  return `Batch size: ${plural(a.batchSize, 'contact')}`;
}
