import { act, screen, waitFor, within } from '@testing-library/react';
import type { AbuseReport, AdminOverview, OptIn } from '../../backend';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus } from '../../test/fixtures';
import { renderApp } from '../../test/render';

const at = '2026-01-01T12:00:00Z';
const later = '2026-01-02T09:30:00Z';
const report: AbuseReport = {
  id: 'r1',
  threadId: 't1',
  actionTitle: 'Get Out The Vote',
  contactName: 'Rex Rude',
  contactPhone: '+15550001111',
  reportedBy: 'Vera Volunteer',
  reason: 'harassment',
  at,
};
const optIn: OptIn = { id: 'o1', contactPhone: '+15550004444', contactName: 'Sam Start', body: 'START', at, threadId: 't6', heldBy: 'Vera Volunteer', optedOut: true };

function serverNow(o: Partial<AdminOverview>) {
  fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], unroutable: [], optIns: [], ...o });
}

function admin(o: Partial<AdminOverview>) {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
  fake.actions.mockResolvedValue([anAction()]);
  serverNow(o);
}

const region = (name: RegExp) => screen.findByRole('region', { name });

// An organizer records a decision on each report of abuse and each opt-in:
// reviewed, it leaves the list (kept, shown on request) and can be opened
// again; a contact who texted START can be opted back in, after a dialog
// that says what that does.
describe('Reports of abuse and opt-ins marked reviewed', () => {
  it('Mark Reviewed on a report sends it, takes it out of the list and says one is hidden', async () => {
    admin({ abuseReports: [report] });
    fake.setAbuseReportReviewed.mockImplementation(async () => {
      serverNow({ abuseReportsReviewed: 1 });
      return { ...report, reviewedAt: later, reviewedBy: 'Olive Organizer' };
    });
    const { user } = renderApp('/c/c1/admin');
    const list = await region(/^Reports of abuse/);
    await user.click(await within(list).findByRole('button', { name: 'Mark Reviewed: the report on Rex Rude' }));
    expect(fake.setAbuseReportReviewed).toHaveBeenCalledWith('c1', 'r1', true);
    await waitFor(() => expect(within(list).queryByText('Rex Rude')).not.toBeInTheDocument());
    expect(within(list).getByText('1 reviewed report is hidden.')).toBeInTheDocument();
    expect(within(list).getByText('Every report of abuse is marked reviewed.')).toBeInTheDocument();
    await waitFor(() => expect(within(list).getByRole('heading', { name: 'Reports of abuse (0)' })).toHaveFocus());
  });

  it('Show reviewed lists reviewed reports with who and when; Open Again brings one back', async () => {
    admin({ abuseReports: [], abuseReportsReviewed: 1 });
    fake.reviewedAbuseReports.mockResolvedValue([{ ...report, reviewedAt: later, reviewedBy: 'Olive Organizer' }]);
    fake.setAbuseReportReviewed.mockImplementation(async () => {
      serverNow({ abuseReports: [report], abuseReportsReviewed: 0 });
      fake.reviewedAbuseReports.mockResolvedValue([]);
      return report;
    });
    const { user } = renderApp('/c/c1/admin');
    const list = await region(/^Reports of abuse/);
    expect(fake.reviewedAbuseReports).not.toHaveBeenCalled();
    await user.click(await within(list).findByRole('button', { name: 'Show reviewed' }));
    expect(fake.reviewedAbuseReports).toHaveBeenCalledWith('c1');
    const reviewed = await within(list).findByRole('list', { name: 'Reviewed reports of abuse' });
    expect(reviewed).toHaveTextContent('Reviewed by Olive Organizer');
    await user.click(within(reviewed).getByRole('button', { name: 'Open Again: the report on Rex Rude' }));
    expect(fake.setAbuseReportReviewed).toHaveBeenCalledWith('c1', 'r1', false);
    await waitFor(() => expect(within(list).getByRole('heading', { name: 'Reports of abuse (1)' })).toBeInTheDocument());
    expect(within(list).getByRole('button', { name: 'Mark Reviewed: the report on Rex Rude' })).toBeInTheDocument();
    // The last reviewed report opened again: the reviewed list closes, not "Reviewed (0)" with none in it.
    expect(within(list).queryByText(/Reviewed \(0\)|No report is marked reviewed/)).not.toBeInTheDocument();
    expect(within(list).queryByRole('button', { name: /^(Show|Hide) reviewed$/ })).not.toBeInTheDocument();
  });

  it('Opt Back In asks first, saying what it does; Cancel changes nothing; confirmed, the opt-in leaves the list', async () => {
    admin({ optIns: [optIn] });
    fake.optBackIn.mockImplementation(async () => {
      serverNow({ optInsReviewed: 1 });
      return { ...optIn, optedOut: false, optedBackInAt: later, optedBackInBy: 'Olive Organizer', reviewedAt: later, reviewedBy: 'Olive Organizer' };
    });
    const { user } = renderApp('/c/c1/admin');
    const list = await region(/^Opt-ins/);
    expect(list).toHaveTextContent('Still opted out: nobody in your organization can text this number until an organizer opts it back in.');
    const open = await within(list).findByRole('button', { name: 'Opt Back In: Sam Start' });
    await user.click(open);
    let dialog = await screen.findByRole('dialog', { name: 'Opt Sam Start back in?' });
    expect(dialog).toHaveAccessibleDescription(/lifts your organization's opt-out of their number: Vera Volunteer can reply in the conversation again/);
    expect(dialog).toHaveTextContent('The opt-out is kept, with your name and the time you lifted it.');
    expect(dialog).toHaveTextContent("If they text STOP again, a volunteer files Opt Out in the conversation, or the number is in an organizer's opt-outs import, they are opted out again.");
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(fake.optBackIn).not.toHaveBeenCalled();
    expect(open).toHaveFocus();

    await user.click(open);
    dialog = await screen.findByRole('dialog', { name: 'Opt Sam Start back in?' });
    await user.click(within(dialog).getByRole('button', { name: 'Opt Back In' }));
    expect(fake.optBackIn).toHaveBeenCalledWith('c1', 'o1');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(within(list).getByText('1 reviewed opt-in is hidden.')).toBeInTheDocument();
    await waitFor(() => expect(within(list).getByRole('heading', { name: 'Opt-ins (0)' })).toHaveFocus());
    // Reviewed, it says who opted them back in, and offers no Opt Back In.
    fake.reviewedOptIns.mockResolvedValue([{ ...optIn, optedOut: false, optedBackInAt: later, optedBackInBy: 'Olive Organizer', reviewedAt: later, reviewedBy: 'Olive Organizer' }]);
    await user.click(within(list).getByRole('button', { name: 'Show reviewed' }));
    const reviewed = await within(list).findByRole('list', { name: 'Reviewed opt-ins' });
    expect(reviewed).toHaveTextContent('Opted back in by Olive Organizer');
    expect(within(reviewed).queryByRole('button', { name: /^Opt Back In/ })).not.toBeInTheDocument();
    expect(within(reviewed).getByRole('button', { name: 'Open Again: the START from Sam Start' })).toBeInTheDocument();
  });

  it('a busy server asked again shows beside the one call Go is retrying, not every pending one', async () => {
    const other: AbuseReport = { ...report, id: 'r2', threadId: 't2', contactName: 'Ray Rough', contactPhone: '+15550002222' };
    admin({ abuseReports: [report, other], optIns: [optIn] });
    const held: Array<() => void> = [];
    fake.setAbuseReportReviewed.mockImplementation((_c, id) => new Promise((done) => held.push(() => done({ ...(id === 'r1' ? report : other), reviewedAt: later }))));
    fake.optBackIn.mockImplementation(() => new Promise(() => {}));
    const { user } = renderApp('/c/c1/admin');
    const list = await region(/^Reports of abuse/);
    await user.click(await within(list).findByRole('button', { name: 'Mark Reviewed: the report on Rex Rude' }));
    await user.click(within(list).getByRole('button', { name: 'Mark Reviewed: the report on Ray Rough' }));
    await waitFor(() => expect(fake.setAbuseReportReviewed).toHaveBeenCalledTimes(2));
    act(() => fake.emit('server:busy-retry', { call: 'mark', key: 'r2', seconds: 1 }));
    const busy = await within(list).findAllByRole('status');
    expect(busy).toHaveLength(1);
    expect(busy[0]).toHaveTextContent('Server busy, trying again…');
    const rays = within(list).getAllByRole('listitem').filter((li) => li.textContent?.includes('Ray Rough'));
    expect(rays).toHaveLength(1);
    expect(rays[0]).toContainElement(busy[0]);
    // Another kind of call on the same subject is not this one.
    act(() => fake.emit('server:busy-retry', { call: 'optBackIn', key: 'r1', seconds: 1 }));
    expect(within(list).getAllByRole('status')).toHaveLength(1);

    await user.click(within(await region(/^Opt-ins/)).getByRole('button', { name: 'Opt Back In: Sam Start' }));
    const dialog = await screen.findByRole('dialog', { name: 'Opt Sam Start back in?' });
    await user.click(within(dialog).getByRole('button', { name: 'Opt Back In' }));
    await waitFor(() => expect(fake.optBackIn).toHaveBeenCalled());
    expect(within(dialog).queryByRole('status')).not.toBeInTheDocument();
    act(() => fake.emit('server:busy-retry', { call: 'optBackIn', key: 'o1', seconds: 1 }));
    expect(within(dialog).getByRole('status')).toHaveTextContent('Server busy, trying again…');
    act(() => held.forEach((done) => done()));
  });

  it('Opt Back In on a START that reached no conversation promises no reply in one', async () => {
    admin({ optIns: [{ ...optIn, heldBy: undefined, threadId: undefined }] });
    const { user } = renderApp('/c/c1/admin');
    const list = await region(/^Opt-ins/);
    await user.click(await within(list).findByRole('button', { name: 'Opt Back In: Sam Start' }));
    const dialog = await screen.findByRole('dialog', { name: 'Opt Sam Start back in?' });
    expect(dialog).toHaveAccessibleDescription(/their START reached no conversation of this campaign, but your organization's campaigns may text this number again/);
    // What the wait is, in words: 'the wait of 6 hours between first texts' left an organizer asking whose wait, for what.
    expect(dialog).toHaveTextContent('Texting hours still apply, and your campaigns send this number no first text within 6 hours of another.');
  });

  it("a blocked contact's START says so on its row, and Opt Back In says the block stays", async () => {
    admin({ optIns: [{ ...optIn, heldBy: undefined, blocked: true, actionTitle: 'Get Out The Vote' }] });
    const { user } = renderApp('/c/c1/admin');
    const list = await region(/^Opt-ins/);
    expect(await within(list).findByText(/“START” · Get Out The Vote ·/)).toBeInTheDocument();
    expect(within(list).getByText('Blocked: a volunteer reported Sam Start for abuse.')).toBeInTheDocument();
    await user.click(await within(list).findByRole('button', { name: 'Opt Back In: Sam Start' }));
    const dialog = await screen.findByRole('dialog', { name: 'Opt Sam Start back in?' });
    expect(dialog).toHaveAccessibleDescription(/their conversation stays blocked \(a volunteer reported Sam Start for abuse\), but your organization's campaigns may text this number again/);
    expect(dialog).not.toHaveAccessibleDescription(/can reply in the conversation again/);
  });

  it('a refused Opt Back In says why in the dialog, which stays open; the opt-in stays', async () => {
    admin({ optIns: [{ ...optIn, yours: true, heldBy: undefined }] });
    fake.optBackIn.mockRejectedValue('+15550004444 opted out again after texting START: the opt-out stands');
    const { user } = renderApp('/c/c1/admin');
    const list = await region(/^Opt-ins/);
    await user.click(await within(list).findByRole('button', { name: 'Opt Back In: Sam Start' }));
    const dialog = await screen.findByRole('dialog', { name: 'Opt Sam Start back in?' });
    expect(dialog).toHaveAccessibleDescription(/you can reply in the conversation again/);
    await user.click(within(dialog).getByRole('button', { name: 'Opt Back In' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Sam Start was not opted back in: +15550004444 opted out again after texting START: the opt-out stands.',
    );
    expect(within(dialog).getByRole('button', { name: 'Opt Back In' })).toBeEnabled();
    expect(within(list).getByText(/“START”/)).toBeInTheDocument();
  });

  it('offline, Mark Reviewed on an opt-in says it was not marked and why; a number no longer opted out has no Opt Back In', async () => {
    admin({ optIns: [{ ...optIn, optedOut: false }] });
    fake.setOptInReviewed.mockRejectedValue(
      'cannot reach the campaign server at http://127.0.0.1:8787: Put "http://127.0.0.1:8787/api/v1/...": dial tcp: connection refused',
    );
    const { user } = renderApp('/c/c1/admin');
    const list = await region(/^Opt-ins/);
    expect(await within(list).findByText('No longer opted out.')).toBeInTheDocument();
    expect(within(list).queryByRole('button', { name: /^Opt Back In/ })).not.toBeInTheDocument();
    await user.click(within(list).getByRole('button', { name: 'Mark Reviewed: the START from Sam Start' }));
    expect(fake.setOptInReviewed).toHaveBeenCalledWith('c1', 'o1', true);
    expect(await within(list).findByRole('alert')).toHaveTextContent(
      "The opt-in was not marked reviewed: can't reach the campaign server at http://127.0.0.1:8787. Check your internet connection, or the server address in Settings.",
    );
    expect(within(list).getByRole('button', { name: 'Mark Reviewed: the START from Sam Start' })).toBeEnabled();
  });

  it('Esc closes Opt Back In without opting back in, focus back on its button', async () => {
    admin({ optIns: [optIn] });
    const { user } = renderApp('/c/c1/admin');
    const open = await within(await region(/^Opt-ins/)).findByRole('button', { name: 'Opt Back In: Sam Start' });
    await user.click(open);
    await screen.findByRole('dialog', { name: 'Opt Sam Start back in?' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(open).toHaveFocus();
    expect(fake.optBackIn).not.toHaveBeenCalled();
  });
});
