import { batchSizeLabel, clockLabel, textingHoursLabel } from './hours';

describe('texting hours in words', () => {
  it.each([
    ['09:00', '9 AM'],
    ['9:00', '9 AM'],
    ['13:30', '1:30 PM'],
    ['12:00', 'noon'],
    ['00:00', 'midnight'],
    ['24:00', 'midnight'],
    ['21:00', '9 PM'],
    ['bogus', 'bogus'],
  ])('%s reads %s', (hhmm, words) => expect(clockLabel(hhmm)).toBe(words));

  it('names the window in the contact’s time zone', () => {
    expect(textingHoursLabel({ textingHours: { start: '09:00', end: '21:00' } })).toBe("Texting hours: 9 AM–9 PM in each contact's time zone");
  });

  it('a whole day, as the Go side judges it, reads "any time"', () => {
    expect(textingHoursLabel({ textingHours: { start: '00:00', end: '24:00' }, textingAnyTime: true })).toBe('Texting hours: any time');
    // Not a whole day to Go: the window is named, never guessed here.
    expect(textingHoursLabel({ textingHours: { start: '00:00', end: '00:00' } })).not.toBe('Texting hours: any time');
  });

  it('names the batch size, as the server stored it', () => {
    expect(batchSizeLabel({ batchSize: 25 })).toBe('Batch size: 25 contacts');
  });
});
