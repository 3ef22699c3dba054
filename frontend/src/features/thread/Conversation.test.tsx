import { act, screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aThreadView, deferred } from '../../test/fixtures';
import { openThread } from '../../test/openThread';
import type { Report, ReportField, ThreadView as View } from '../../backend';
import { reportFieldsOf } from './conversation';
import { segmentLabel } from './SegmentCount';
import { SAVED_SHOWN_MS } from './ConversationPanel';

const fields: ReportField[] = [
  { key: 'will_vote', label: 'Will vote', kind: 'tag' },
  { key: 'support', label: 'Support', kind: 'choice', choices: ['Strong Supporter', 'Leaning Supporter', 'Undecided', 'Leaning Against', 'Strongly Against'] },
  { key: 'household', label: 'People in household', kind: 'number' },
  { key: 'best_time', label: 'Best time to call', kind: 'text' },
];

const setup = (view: View = aThreadView({ reportFields: fields })) => openThread(view);

describe('report fields', () => {
  it('puts Opt Out and Notes after the action’s own fields, once', () => {
    expect(reportFieldsOf(fields).map((f) => f.key)).toEqual(['will_vote', 'support', 'household', 'best_time', 'opt_out', 'notes']);
    expect(reportFieldsOf([{ key: 'notes', label: 'Notes', kind: 'text' }]).map((f) => f.key)).toEqual(['notes', 'opt_out']);
  });

  it('words the segment count as the volunteer reads it', () => {
    expect(segmentLabel(1, 40)).toBe('1 text');
    expect(segmentLabel(2, 161)).toBe('2 texts (161 characters)');
  });
});

describe('Fill Report', () => {
  it('shows Opt Out on, and fixed, for a contact who already opted out', async () => {
    const view = aThreadView({ reportFields: fields });
    view.thread.optedOut = true; // a STOP, not a report: no report says opt_out
    const { user } = await setup(view);
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = await screen.findByRole('dialog', { name: 'Report on Ada Lovelace' });
    const toggle = within(dialog).getByRole('switch', { name: 'Opt Out' });
    expect(toggle).toBeChecked();
    expect(toggle).toBeDisabled();
    expect(toggle).toHaveAccessibleDescription('Ada Lovelace opted out: they will not be texted again.');
    // Filing the rest of the report does not send the fixed toggle.
    await user.click(within(dialog).getByRole('switch', { name: 'Will vote' }));
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    await waitFor(() => expect(fake.submitReport).toHaveBeenCalled());
    expect(fake.submitReport.mock.calls[0][1]).toEqual({ will_vote: 'true' });
  });

  it('Opt Out turned on says what it does, and Submit says it opts them out', async () => {
    const { user } = await setup(aThreadView({ reportFields: fields }));
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = await screen.findByRole('dialog', { name: 'Report on Ada Lovelace' });
    const toggle = within(dialog).getByRole('switch', { name: 'Opt Out' });
    expect(dialog).not.toHaveTextContent('Nobody in this organization');
    await user.click(toggle);
    expect(toggle).toHaveAccessibleDescription('Nobody in this organization will text Ada Lovelace again. Only an organizer can undo it, after Ada Lovelace texts START.');
    expect(within(dialog).queryByRole('button', { name: 'Submit Report' })).not.toBeInTheDocument();
    // Turned off again: as before.
    await user.click(toggle);
    expect(dialog).not.toHaveTextContent('Nobody in this organization');
    await user.click(toggle);
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report and Opt Out' }));
    await waitFor(() => expect(fake.submitReport).toHaveBeenCalled());
    expect(fake.submitReport.mock.calls[0][1]).toEqual({ opt_out: 'true' });
  });

  it('P opens the form; letter shortcuts inside it do nothing to the thread behind', async () => {
    const { user } = await setup();
    screen.getByRole('button', { name: 'Archive' }).focus();
    await user.keyboard('p');
    const dialog = await screen.findByRole('dialog', { name: 'Report on Ada Lovelace' });
    within(dialog).getByRole('button', { name: 'Cancel' }).focus();
    await user.keyboard('e');
    await user.keyboard('f');
    expect(fake.archive).not.toHaveBeenCalled();
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(dialog).toBeInTheDocument();
  });

  it('shows the action’s fields in order, then Opt Out and Notes, and submits a toggle and a choice', async () => {
    const { user } = await setup();
    expect(screen.getByText('No report yet.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = screen.getByRole('dialog', { name: 'Report on Ada Lovelace' });
    const names = Array.from(dialog.querySelectorAll('.report-fields > * > label, .report-fields > fieldset > legend')).map((el) => el.textContent);
    expect(names).toEqual(['Will vote', 'Support', 'People in household', 'Best time to call', 'Opt Out', 'Notes']);
    expect(within(dialog).getByRole('switch', { name: 'Will vote' })).toHaveFocus();

    await user.click(within(dialog).getByRole('switch', { name: 'Will vote' }));
    await user.click(within(dialog).getByRole('radio', { name: 'Strong Supporter' }));
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    expect(fake.submitReport).toHaveBeenCalledWith('t1', { will_vote: 'true', support: 'Strong Supporter' });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.getByRole('status')).toHaveTextContent('Report saved');
    // Focus is back on the control that opened the form.
    expect(screen.getByRole('button', { name: 'Fill Report' })).toHaveFocus();
  });

  it('says "Report saved", then clears it: in a short window it takes a row of its own', async () => {
    // Fake timeouts that follow the real clock, so that the clicks and waits still run.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('switch', { name: 'Will vote' }));
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Report saved'));
    act(() => vi.advanceTimersByTime(SAVED_SHOWN_MS - 100));
    expect(screen.getByRole('status')).toHaveTextContent('Report saved');
    act(() => vi.advanceTimersByTime(200));
    expect(screen.getByRole('status')).toHaveTextContent('');
  });

  it('says the conversation was archived too when the Automatic Archive Setting is on', async () => {
    fake.settings.mockResolvedValue({ autoArchive: true });
    const { user } = await setup();
    await waitFor(() => expect(fake.settings).toHaveBeenCalled());
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('switch', { name: 'Will vote' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Submit Report' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('Report saved and archived'));
  });

  it('shows the latest values and who filed what when, and opens with them', async () => {
    const view = aThreadView({
      reportFields: fields,
      reports: [
        { id: 'r2', threadId: 't1', values: { support: 'Undecided', notes: 'call back Friday' }, submittedAt: '2026-01-02T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
        { id: 'r1', threadId: 't1', values: { support: 'Strong Supporter', will_vote: 'true' }, submittedAt: '2026-01-01T10:00:00Z', submittedBy: 'u2', submittedByName: 'Sam Second' },
      ],
      latestReport: { support: 'Undecided', notes: 'call back Friday', will_vote: 'true' },
    });
    const { user } = await setup(view);
    const summary = screen.getByRole('region', { name: 'Report' });
    expect(within(summary).getByText('Support').nextElementSibling).toHaveTextContent('Undecided');
    expect(within(summary).getByText('Will vote').nextElementSibling).toHaveTextContent('Yes');
    expect(within(summary).getByText('Notes').nextElementSibling).toHaveTextContent('call back Friday');
    const history = within(summary).getAllByRole('listitem');
    expect(history).toHaveLength(2);
    expect(history[0]).toHaveTextContent('Vera Volunteer');
    expect(history[0]).toHaveTextContent('Support: Undecided; Notes: call back Friday');
    expect(history[1]).toHaveTextContent('Sam Second');

    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByRole('switch', { name: 'Will vote' })).toBeChecked();
    expect(within(dialog).getByRole('radio', { name: 'Undecided' })).toBeChecked();
    // A report holds what changed: turning a toggle off says so.
    await user.click(within(dialog).getByRole('switch', { name: 'Will vote' }));
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    expect(fake.submitReport).toHaveBeenLastCalledWith('t1', { will_vote: 'false' });
    // "Report saved" on the report history's line, in the flow: floated over the line under the
    // tools, it hid the end of the latest values.
    await waitFor(() => expect(within(summary).getByText('Report saved').closest('.report-history-line')).toContainElement(within(summary).getByText(/Report history/)));
    // Nothing changed: the latest values are confirmed again.
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Submit Report' }));
    expect(fake.submitReport).toHaveBeenLastCalledWith('t1', { will_vote: 'true', support: 'Undecided', notes: 'call back Friday' });
  });

  it('refuses a number field that is not a number, and an empty report, in words', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Fill in at least one field');
    await user.type(within(dialog).getByRole('textbox', { name: 'People in household' }), 'three');
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    expect(within(dialog).getByRole('textbox', { name: 'People in household' })).toHaveAccessibleDescription('People in household must be a number, such as 3.');
    // The keyboard goes to the answer to fix (a long form scrolls it into view), not left on Submit.
    expect(within(dialog).getByRole('textbox', { name: 'People in household' })).toHaveFocus();
    // The summary sits with Submit, in the buttons' footer that stays in view: below Notes, a long
    // form scrolled it away.
    const alert = within(dialog).getByRole('alert');
    expect(alert).toHaveTextContent('Some answers need fixing before the report can be saved.');
    expect(alert.parentElement).toBe(within(dialog).getByRole('button', { name: 'Submit Report' }).parentElement);
    // What JavaScript reads as a number and the Go side's report.Check does not.
    for (const notCount of ['0x10', 'Infinity']) {
      await user.clear(within(dialog).getByRole('textbox', { name: 'People in household' }));
      await user.type(within(dialog).getByRole('textbox', { name: 'People in household' }), notCount);
      await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
      expect(within(dialog).getByRole('textbox', { name: 'People in household' })).toHaveAccessibleDescription('People in household must be a number, such as 3.');
    }
    expect(fake.submitReport).not.toHaveBeenCalled();
  });

  it('files a cleared choice and emptied notes as clears, a report of clears only', async () => {
    const view = aThreadView({
      reportFields: fields,
      reports: [
        { id: 'r1', threadId: 't1', values: { support: 'Undecided', notes: 'call back Friday', will_vote: 'true' }, submittedAt: '2026-01-01T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
      ],
      latestReport: { support: 'Undecided', notes: 'call back Friday', will_vote: 'true' },
    });
    const { user } = await setup(view);
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Clear Support' }));
    expect(within(dialog).getByRole('radio', { name: 'Undecided' })).not.toBeChecked();
    await user.clear(within(dialog).getByRole('textbox', { name: 'Notes' }));
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    expect(fake.submitReport).toHaveBeenCalledWith('t1', { support: '', notes: '' });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('files a choice cleared on its own; a field cleared before is not a change', async () => {
    const view = aThreadView({
      reportFields: fields,
      reports: [
        { id: 'r2', threadId: 't1', values: { notes: '' }, submittedAt: '2026-01-02T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
        { id: 'r1', threadId: 't1', values: { support: 'Undecided', notes: 'call back Friday' }, submittedAt: '2026-01-01T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
      ],
      latestReport: { support: 'Undecided', notes: '' },
    });
    const { user } = await setup(view);
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByRole('textbox', { name: 'Notes' })).toHaveValue('');
    await user.click(within(dialog).getByRole('button', { name: 'Clear Support' }));
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    expect(fake.submitReport).toHaveBeenCalledWith('t1', { support: '' });
  });

  it('shows Opt Out off once an admin opted the contact back in, and an unchanged form does not opt them out again', async () => {
    const view = aThreadView({
      reportFields: fields,
      reports: [
        { id: 'r2', threadId: 't1', values: { opt_out: 'false' }, submittedAt: '2026-01-02T10:00:00Z', submittedBy: 'a1', submittedByName: 'Orla Organizer' },
        { id: 'r1', threadId: 't1', values: { opt_out: 'true', notes: 'asked to be removed' }, submittedAt: '2026-01-01T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
      ],
      latestReport: { opt_out: 'false', notes: 'asked to be removed' },
    });
    const { user } = await setup(view);
    const summary = screen.getByRole('region', { name: 'Report' });
    expect(within(summary).getByText('Opt Out').nextElementSibling).toHaveTextContent('No');
    expect(within(summary).getAllByRole('listitem')[0]).toHaveTextContent('Orla Organizer');
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByRole('switch', { name: 'Opt Out' })).not.toBeChecked();
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    // An untouched toggle that is off says nothing.
    expect(fake.submitReport).toHaveBeenLastCalledWith('t1', { notes: 'asked to be removed' });
  });

  it('still refuses an untouched form whose values were all cleared before', async () => {
    const view = aThreadView({
      reportFields: fields,
      reports: [
        { id: 'r2', threadId: 't1', values: { support: '', notes: '' }, submittedAt: '2026-01-02T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
        { id: 'r1', threadId: 't1', values: { support: 'Undecided', notes: 'call back Friday' }, submittedAt: '2026-01-01T10:00:00Z', submittedBy: 'u1', submittedByName: 'Vera Volunteer' },
      ],
      latestReport: { support: '', notes: '' },
    });
    const { user } = await setup(view);
    const summary = screen.getByRole('region', { name: 'Report' });
    expect(within(summary).queryByText('Support')).not.toBeInTheDocument();
    expect(within(summary).getAllByRole('listitem')[0]).toHaveTextContent('Support: (cleared); Notes: (cleared)');
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Fill in at least one field');
    expect(fake.submitReport).not.toHaveBeenCalled();
  });

  it('says why a report was not saved, and keeps the form', async () => {
    fake.submitReport.mockRejectedValue('unknown report field "colour"');
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByRole('textbox', { name: 'Notes' }), 'nice chat');
    await user.click(within(dialog).getByRole('button', { name: 'Submit Report' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The report was not saved: unknown report field "colour"');
    expect(within(dialog).getByRole('textbox', { name: 'Notes' })).toHaveValue('nice chat');
  });

  it('keeps Tab inside the dialog', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    const dialog = screen.getByRole('dialog');
    within(dialog).getByRole('button', { name: 'Submit Report' }).focus();
    await user.tab();
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
    within(dialog).getByRole('switch', { name: 'Will vote' }).focus();
    await user.tab({ shift: true });
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
  });

  it('Escape closes the form without saving', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Fill Report' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(fake.submitReport).not.toHaveBeenCalled();
  });
});

describe('Follow Up', () => {
  it('names each script by what it shows, its label first', async () => {
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Follow Up' }));
    for (const item of screen.getAllByRole('menuitem')) {
      const label = item.querySelector('.script-label')?.textContent ?? '';
      expect(label).not.toBe('');
      expect(item).toHaveAccessibleName(new RegExp('^' + label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
  });

  it('says which report tag a script sets when sent', async () => {
    const view = aThreadView({ reportFields: fields });
    view.responseScripts.push({ id: 'rs3', label: 'Will vote', body: 'Great, see you at the polls!', tags: ['will_vote'] });
    const { user } = await setup(view);
    await user.click(screen.getByRole('button', { name: 'Follow Up' }));
    expect(screen.getByRole('menuitem', { name: /^Will vote/ })).toHaveAccessibleName(/Great, see you at the polls!\s*Sets Will vote in the report/);
  });

  it('counts the segments of what is about to be sent, live, with the Go rule', async () => {
    const { user } = await setup(aThreadView({ allowFreeText: true }));
    const reply = screen.getByRole('textbox', { name: 'Reply' });
    await user.type(reply, 'See you there');
    await waitFor(() => expect(screen.getByTestId('segment-count')).toHaveTextContent('1 text'));
    expect(fake.segmentCount).toHaveBeenLastCalledWith('See you there');
    await user.clear(reply);
    await user.click(reply);
    await user.paste('x'.repeat(161));
    await waitFor(() => expect(screen.getByTestId('segment-count')).toHaveTextContent('2 texts (161 characters)'));
    expect(screen.getByRole('button', { name: 'Send' })).toHaveAccessibleDescription('2 texts (161 characters)');
  });
});

describe('Reply box while a reply is on its way', () => {
  it('text typed after Send is kept when the reply lands; only what was sent is cleared', async () => {
    const pending = deferred<void>();
    fake.sendReply.mockReturnValue(pending.promise);
    const { user } = await openThread(aThreadView({ allowFreeText: true }));
    const box = screen.getByRole('textbox', { name: 'Reply' });
    await user.type(box, 'First part');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(fake.sendReply).toHaveBeenCalledWith('t1', 'First part', '');
    // Focus stays in the box on purpose: the volunteer goes on typing.
    expect(box).toHaveFocus();
    await user.clear(box);
    await user.type(box, 'Second text');
    await act(async () => pending.resolve());
    await waitFor(() => expect(fake.thread).toHaveBeenCalledTimes(2));
    expect(screen.getByRole('textbox', { name: 'Reply' })).toHaveValue('Second text');
  });

  it('says beside the box that Ctrl+Enter sends, where there is a box', async () => {
    await openThread(aThreadView({ allowFreeText: true }));
    expect(screen.getByRole('textbox', { name: 'Reply' })).toHaveAccessibleDescription(/^\s*Ctrl\+Enter sends$/);
  });

  it('on a Mac says Cmd+Enter, the keys its keyboard prints', async () => {
    const platform = vi.spyOn(navigator, 'platform', 'get').mockReturnValue('MacIntel');
    try {
      await openThread(aThreadView({ allowFreeText: true }));
      expect(screen.getByRole('textbox', { name: 'Reply' })).toHaveAccessibleDescription(/^\s*Cmd\+Enter sends$/);
    } finally {
      platform.mockRestore();
    }
  });

  it('the reply box is emptied when it still holds what was sent', async () => {
    fake.sendReply.mockResolvedValue(undefined);
    const { user } = await openThread(aThreadView({ allowFreeText: true }));
    const box = screen.getByRole('textbox', { name: 'Reply' });
    await user.type(box, 'Thanks!');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(box).toHaveValue(''));
  });
});
