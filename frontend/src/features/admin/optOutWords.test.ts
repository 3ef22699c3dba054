import type { AdminOptOut } from '../../backend';
import { optedOutLine, optOutSource } from './optOutWords';

const imported = (o: Partial<AdminOptOut>): AdminOptOut =>
  ({ reason: 'imported from old.csv', source: 'import', at: '2026-01-01T12:05:00Z', undoable: false, ...o }) as AdminOptOut;

// An import's file is the server's field (importedFrom), never read out of its reason, which is the export's words.
describe('where an imported opt-out came from', () => {
  it('names the file the server names', () => {
    expect(optOutSource(imported({ importedFrom: 'old.csv' }))).toBe('On an opt-out list imported from old.csv');
    expect(optedOutLine(imported({ importedFrom: 'old.csv' }))).toBe('Opted out: on an opt-out list imported from old.csv');
  });

  it('names no file when the server names none, whatever the reason says', () => {
    expect(optOutSource(imported({ importedFrom: undefined }))).toBe('On an imported opt-out list');
  });
});
