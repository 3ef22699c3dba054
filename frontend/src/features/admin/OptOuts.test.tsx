import { screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus } from '../../test/fixtures';
import { renderApp } from '../../test/render';

const at = '2026-01-01T12:05:00Z';
const row = (threadId: string, contactName: string, contactPhone: string, optOut: object) => ({ threadId, contactName, contactPhone, optOut });
const ada = row('t1', 'Ada Lovelace', '(555) 000-1111', { reason: 'reported by volunteer', source: 'report', at, undoable: true });
const sam = row('t2', 'Sam Stop', '(555) 000-2222', { reason: 'keyword: STOP', source: 'contact', at, undoable: false });
const ora = row('t3', 'Ora Other', '(555) 000-3333', { reason: 'reported by volunteer', source: 'report', at, undoable: false, reportedIn: 'Other' });
const ivy = row('t4', 'Ivy Import', '(555) 000-4444', { reason: 'imported from old.csv', source: 'import', importedFrom: 'old.csv', at, undoable: false });

function adminWithOptOuts(role = 'admin', optIns: object[] = []) {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue([aCampaign({ role })]);
  fake.actions.mockResolvedValue([anAction()]);
  fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], unroutable: [], optIns });
  fake.adminOptOuts.mockImplementation((_c: string, after: string) =>
    Promise.resolve(after === '' ? { optOuts: [ada, sam, ora], total: 4, next: 'page2' } : { optOuts: [ivy], total: 4 }),
  );
  return renderApp('/c/c1/admin');
}

// The Admin section's list of opt-outs: each opted-out conversation of the
// campaign with when and why, and Undo Opt Out where a report here filed
// it, else why not; older ones a page at a time.
describe('Opt-outs in the Admin section', () => {
  it('lists each opt-out with where it came from, and Undo Opt Out only for a report filed here', async () => {
    const { user } = adminWithOptOuts();
    const list = await screen.findByRole('region', { name: 'Opt-outs (4)' });
    await within(list).findByText('Ada Lovelace');
    const rows = within(list).getAllByRole('listitem');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('Reported by a volunteer in a conversation');
    expect(rows[0]).toHaveTextContent('(555) 000-1111');
    expect(rows[1]).toHaveTextContent('The contact asked to stop (keyword: STOP)');
    expect(rows[1]).toHaveTextContent('Cannot be undone here: only their START can lift it. If they text START, it is listed under Opt-ins, with Opt Back In.');
    expect(rows[2]).toHaveTextContent('Cannot be undone here: a report in a conversation of Other filed it. Its admins can read it there, and undo it if it was a mistake.');
    expect(within(list).getAllByRole('button', { name: /^Undo Opt Out/ })).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Opt-outs (4)' })).toBeInTheDocument(); // the index at the top

    // The existing dialog, and its route, with the opt-out's time as listed.
    fake.undoOptOut.mockResolvedValue({ messages: [] });
    await user.click(within(list).getByRole('button', { name: 'Undo Opt Out: Ada Lovelace' }));
    const dialog = screen.getByRole('dialog', { name: 'Undo the opt-out of Ada Lovelace?' });
    await user.click(within(dialog).getByRole('button', { name: 'Undo Opt Out' }));
    expect(fake.undoOptOut).toHaveBeenCalledWith('c1', 't1', at);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    // The row leaves with the button that had focus: focus goes to the section's heading, as after marking a row.
    await waitFor(() => expect(within(list).getByRole('heading', { name: /^Opt-outs/ })).toHaveFocus());
  });

  // The row says the opt-out and holds its Undo Opt Out: the conversation read in it does not repeat them.
  it('a conversation read in its row shows the exchange, not a second opt-out line and Undo Opt Out', async () => {
    const { user } = adminWithOptOuts();
    fake.adminThread.mockResolvedValue({
      messages: [{ id: 'm1', threadId: 't1', direction: 'in', body: 'no more texts please', createdAt: at, status: 'received' }],
      optOut: ada.optOut,
    });
    const list = await screen.findByRole('region', { name: 'Opt-outs (4)' });
    await user.click(await within(list).findByText('Read the conversation', { selector: '[aria-label="Read the conversation with Ada Lovelace"]' }));
    const exchange = await within(list).findByRole('list', { name: 'Conversation with Ada Lovelace' });
    expect(exchange).toHaveTextContent('no more texts please');
    expect(within(list).getAllByRole('button', { name: 'Undo Opt Out: Ada Lovelace' })).toHaveLength(1);
  });

  // Where their START is, the server says (optOut.start): not guessed from the overview's opt-ins.
  it("a contact's opt-out whose START is listed under Opt-ins says Opt Back In is there", async () => {
    adminWithOptOuts();
    fake.adminOptOuts.mockResolvedValue({ optOuts: [{ ...sam, optOut: { ...sam.optOut, start: 'listed' } }], total: 1 });
    const list = await screen.findByRole('region', { name: 'Opt-outs (1)' });
    const row = (await within(list).findByText('Sam Stop')).closest('li');
    expect(row).toHaveTextContent('Cannot be undone here: only their START can lift it. They have texted START, and Opt Back In is with it under Opt-ins.');
    expect(row).not.toHaveTextContent('If they text START');
    expect(row).not.toHaveTextContent('the Admin section lists it');
  });

  // A START that came and was marked reviewed, the number still opted out: no START is awaited, Opt Back In is still there.
  // However many opt-ins were marked reviewed since: the server reads theirs, not the app the newest 200.
  it("a contact's opt-out whose START was marked reviewed says so, not 'If they text START'", async () => {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], unroutable: [], optIns: [], optInsReviewed: 500 });
    fake.adminOptOuts.mockResolvedValue({ optOuts: [{ ...sam, optOut: { ...sam.optOut, start: 'reviewed' } }, ivy], total: 2 });
    renderApp('/c/c1/admin');
    const list = await screen.findByRole('region', { name: 'Opt-outs (2)' });
    const rows = await within(list).findAllByRole('listitem');
    await waitFor(() =>
      expect(rows[0]).toHaveTextContent(
        'Cannot be undone here: only their START can lift it. They have texted START, since marked reviewed, and Opt Back In is with it under Opt-ins, in Show reviewed.',
      ),
    );
    expect(rows[0]).not.toHaveTextContent('If they text START');
    // Another number's row still waits for its START.
    expect(rows[1]).toHaveTextContent('If they text START, it is listed under Opt-ins, with Opt Back In.');
  });

  // A START lifts the organization's opt-out of a blocked contact, never the block: the row says both.
  it("a blocked contact's row names the block, which lifting the opt-out leaves", async () => {
    const bo = { ...row('t6', 'Bo Blocked', '(555) 000-6666', { reason: 'blocked: abuse', source: 'block', at, undoable: false }), blocked: true };
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], unroutable: [], optIns: [] });
    fake.adminOptOuts.mockResolvedValue({ optOuts: [bo, sam], total: 2 });
    renderApp('/c/c1/admin');
    const list = await screen.findByRole('region', { name: 'Opt-outs (2)' });
    await within(list).findByText('Bo Blocked');
    const rows = within(list).getAllByRole('listitem');
    expect(rows[0]).toHaveTextContent('Blocked by a volunteer');
    expect(rows[0]).toHaveTextContent('Blocked: a volunteer reported Bo Blocked for abuse. Lifting the opt-out leaves the block: nobody replies in this conversation.');
    expect(rows[1]).not.toHaveTextContent('Blocked:');
  });

  it('two conversations of one number are one opt-out: the second row says so, naming the first', async () => {
    const ada2 = row('t5', 'Al Lovelace', ada.contactPhone, ada.optOut);
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], unroutable: [], optIns: [] });
    fake.adminOptOuts.mockResolvedValue({ optOuts: [ada, ada2, sam], total: 3 });
    renderApp('/c/c1/admin');
    const list = await screen.findByRole('region', { name: 'Opt-outs (3)' });
    await within(list).findByText('Al Lovelace');
    const rows = within(list).getAllByRole('listitem');
    expect(rows[1]).toHaveTextContent("Same number as Ada Lovelace's conversation above: one opt-out, which ends for both at once.");
    expect(rows[0]).not.toHaveTextContent('Same number');
    expect(rows[2]).not.toHaveTextContent('Same number');
  });

  it('Show older opt-outs reads the next page, and the import says it is one', async () => {
    const { user } = adminWithOptOuts();
    const list = await screen.findByRole('region', { name: 'Opt-outs (4)' });
    await within(list).findByText('Ada Lovelace');
    expect(within(list).getByText(/Showing the newest 3 of 4/)).toBeInTheDocument();
    await user.click(within(list).getByRole('button', { name: 'Show older opt-outs' }));
    expect(await within(list).findByText('Ivy Import')).toBeInTheDocument();
    expect(fake.adminOptOuts).toHaveBeenCalledWith('c1', 'page2');
    expect(within(list).getAllByRole('listitem')[3]).toHaveTextContent('On an opt-out list imported from old.csv');
    expect(within(list).queryByRole('button', { name: 'Show older opt-outs' })).not.toBeInTheDocument();
  });

  it('a refusal of the list says why, in words', async () => {
    adminWithOptOuts();
    fake.adminOptOuts.mockRejectedValue(new Error("only the campaign's admins can see this"));
    const list = await screen.findByRole('region', { name: /^Opt-outs/ });
    expect(await within(list).findByText(/only the campaign's admins can see this/i)).toBeInTheDocument();
  });

  it('a volunteer has no list of opt-outs, and none is asked for', async () => {
    adminWithOptOuts('volunteer');
    expect(await screen.findByText(/Only the organizers of this campaign see its Admin section/)).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /^Opt-outs/ })).not.toBeInTheDocument();
    expect(fake.adminOptOuts).not.toHaveBeenCalled();
  });
});
