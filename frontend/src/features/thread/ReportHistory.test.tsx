import { screen, within } from '@testing-library/react';
import { aThreadView } from '../../test/fixtures';
import { openThread } from '../../test/openThread';
import type { ReportField } from '../../backend';

// The report history under a conversation's latest values (ReportSummary): its order, and how it names what
// each report filed. Apart from Conversation.test.tsx, which it had taken past 400 lines.

const fields: ReportField[] = [
  { key: 'will_vote', label: 'Will vote', kind: 'tag' },
  { key: 'support', label: 'Support', kind: 'choice', choices: ['Strong Supporter', 'Leaning Supporter', 'Undecided', 'Leaning Against', 'Strongly Against'] },
];
const setup = openThread;

describe('Report history', () => {
  // Newest first, as the latest values: numbered 1, 2 down the list, the newest read as the first filed.
  it('the report history says it is newest first, and numbers the first report filed 1', async () => {
    const view = aThreadView({
      reportFields: fields,
      reports: [
        { id: 'r2', threadId: 't1', values: { notes: 'call back Friday' }, submittedAt: '2026-01-02T10:00:00Z', submittedBy: 'a1', submittedByName: 'Orla Organizer' },
        { id: 'r1', threadId: 't1', values: { notes: 'asked about polls' }, submittedAt: '2026-01-01T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
      ],
      latestReport: { notes: 'call back Friday' },
    });
    await setup(view);
    const summary = screen.getByRole('region', { name: 'Report' });
    expect(within(summary).getByText('Report history (2, newest first)')).toBeInTheDocument();
    const history = within(summary).getByRole('list');
    expect(within(history).getAllByRole('listitem')[0]).toHaveTextContent('Orla Organizer');
    // Counted down: the newest is 2, the first filed 1.
    expect((history as HTMLOListElement).reversed).toBe(true);
  });

  // The Go side knows a field the action no longer has (its last label and kind, else its key in words).
  it('names a field the action no longer has as the Go side knows it, not by its key, its tag as Yes or No', async () => {
    const view = aThreadView({
      reportFields: fields.filter((f) => f.key !== 'will_vote'),
      reports: [
        { id: 'r1', threadId: 't1', values: { will_vote: 'true', notes: 'asked about polls' }, submittedAt: '2026-01-01T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
      ],
      latestReport: { will_vote: 'true', notes: 'asked about polls' },
      removedFields: [{ key: 'will_vote', label: 'Will they vote', kind: 'tag' }],
    });
    await setup(view);
    const summary = screen.getByRole('region', { name: 'Report' });
    expect(within(summary).getByRole('listitem')).toHaveTextContent('Notes: asked about polls; Will they vote: Yes');
    expect(within(summary).getByRole('listitem')).not.toHaveTextContent('will_vote');
  });

  // The summary above the history shows the latest values: a removed field's too, by its last label.
  it('the latest values show a field the action no longer has, by its last label', async () => {
    const view = aThreadView({
      reportFields: fields.filter((f) => f.key !== 'will_vote'),
      reports: [
        { id: 'r2', threadId: 't1', values: { notes: 'call back Friday' }, submittedAt: '2026-01-02T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
        { id: 'r1', threadId: 't1', values: { will_vote: 'true' }, submittedAt: '2026-01-01T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
      ],
      latestReport: { will_vote: 'true', notes: 'call back Friday' },
      removedFields: [{ key: 'will_vote', label: 'Will they vote', kind: 'tag' }],
    });
    await setup(view);
    const summary = screen.getByRole('region', { name: 'Report' });
    // Each term (dt) is followed by its definition (dd); the history's line is one string, not these.
    const terms = within(summary).getAllByRole('term').map((t) => `${t.textContent}: ${t.nextElementSibling?.textContent}`);
    expect(terms).toEqual(['Notes: call back Friday', 'Will they vote: Yes']);
  });

  it('a report history of one report tells no order', async () => {
    const view = aThreadView({
      reportFields: fields,
      reports: [
        { id: 'r1', threadId: 't1', values: { notes: 'asked about polls' }, submittedAt: '2026-01-01T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
      ],
      latestReport: { notes: 'asked about polls' },
    });
    await setup(view);
    const summary = screen.getByRole('region', { name: 'Report' });
    expect(within(summary).getByText('Report history (1)')).toBeInTheDocument();
  });
});
