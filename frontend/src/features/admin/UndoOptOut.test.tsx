import { screen, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus } from '../../test/fixtures';
import { renderApp } from '../../test/render';

const at = '2026-01-01T12:00:00Z';
const outAt = '2026-01-01T12:05:00Z';
const hi = { id: 'm1', threadId: 't6', direction: 'out', body: 'Hi Sam', status: 'delivered', createdAt: at, sentByName: 'Vera Volunteer' };

/** An admin whose Admin section has an opt-in row leading to Sam's conversation, held by Vera, read in place. */
async function readSamsConversation(optOut: object, messages: object[] = [hi], read: object = {}) {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
  fake.actions.mockResolvedValue([anAction()]);
  fake.adminOverview.mockResolvedValue({
    reassigned: [],
    abuseReports: [],
    unroutable: [],
    optIns: [{ id: 'o1', contactPhone: '+15550004444', contactName: 'Sam Start', body: 'START', at, threadId: 't6', heldBy: 'Vera Volunteer', optedOut: true }],
  });
  fake.adminThread.mockResolvedValue({ messages, optOut, ...read });
  const { user } = renderApp('/c/c1/admin');
  const optIns = await screen.findByRole('region', { name: /^Opt-ins/ });
  await user.click(await within(optIns).findByText('Read the conversation', { selector: 'summary' }));
  await within(optIns).findByRole('list', { name: 'Conversation with Sam Start' });
  return { user, optIns };
}

// Undo Opt Out: an organizer lifts an opt-out a report filed by mistake,
// from the conversation read in the Admin section, after a dialog says
// what it does.
describe('Undo Opt Out', () => {
  it("a report's opt-out: the dialog says what undoing it does; Cancel changes nothing; Undo Opt Out lifts it", async () => {
    const { user, optIns } = await readSamsConversation({ reason: 'reported by volunteer', source: 'report', at: outAt, undoable: true });
    expect(within(optIns).getByText(/Opted out: reported by a volunteer in a conversation/)).toBeInTheDocument();

    await user.click(within(optIns).getByRole('button', { name: 'Undo Opt Out: Sam Start' }));
    let dialog = screen.getByRole('dialog', { name: 'Undo the opt-out of Sam Start?' });
    expect(dialog).toHaveAccessibleDescription(/your organization's campaigns may text this number again, and whoever holds the conversation can reply/);
    expect(dialog).toHaveAccessibleDescription(/never when Sam Start asked not to be texted/);
    expect(within(dialog).getByText(/kept, with your name and the time you undid it/)).toBeInTheDocument();
    expect(within(dialog).queryByText(/reads like a request to stop/)).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(fake.undoOptOut).not.toHaveBeenCalled();

    fake.undoOptOut.mockResolvedValue({ messages: [hi] });
    await user.click(within(optIns).getByRole('button', { name: 'Undo Opt Out: Sam Start' }));
    dialog = screen.getByRole('dialog', { name: 'Undo the opt-out of Sam Start?' });
    await user.click(within(dialog).getByRole('button', { name: 'Undo Opt Out' }));
    // The opt-out as the organizer saw it goes with the call, so one renewed since is not undone unseen.
    expect(fake.undoOptOut).toHaveBeenCalledWith('c1', 't6', outAt);
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(within(optIns).queryByText(/Opted out:/)).not.toBeInTheDocument();
    expect(within(optIns).queryByRole('button', { name: /Undo Opt Out/ })).not.toBeInTheDocument();
    // The button went with the line: focus is on the words saying it was undone, not dropped to the page.
    await vi.waitFor(() => expect(within(optIns).getByText('Opt-out undone: Sam Start may be texted again.')).toHaveFocus());
  });

  it('a reply worded like a request to stop is said in the dialog, before the organizer decides', async () => {
    const asked = { id: 'm2', threadId: 't6', direction: 'in', body: 'no more texts please', status: 'received', createdAt: outAt, likelyOptOut: true };
    const { user, optIns } = await readSamsConversation({ reason: 'reported by volunteer', source: 'report', at: outAt, undoable: true }, [hi, asked]);
    await user.click(within(optIns).getByRole('button', { name: 'Undo Opt Out: Sam Start' }));
    const dialog = screen.getByRole('dialog', { name: 'Undo the opt-out of Sam Start?' });
    expect(
      within(dialog).getByText('Sam Start wrote “no more texts please”, which reads like a request to stop texting them: if it was one, keep the opt-out.'),
    ).toBeInTheDocument();
  });

  it('a refusal is said in the dialog, which stays open, and the opt-out stays shown', async () => {
    const { user, optIns } = await readSamsConversation({ reason: 'reported by volunteer', source: 'report', at: outAt, undoable: true });
    fake.undoOptOut.mockRejectedValue('+15550004444 asked to opt out (keyword: STOP): only their START lifts it, with Opt Back In');
    await user.click(within(optIns).getByRole('button', { name: 'Undo Opt Out: Sam Start' }));
    const dialog = screen.getByRole('dialog', { name: 'Undo the opt-out of Sam Start?' });
    await user.click(within(dialog).getByRole('button', { name: 'Undo Opt Out' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The opt-out of Sam Start was not undone: +15550004444 asked to opt out (keyword: STOP): only their START lifts it, with Opt Back In.',
    );
    expect(within(optIns).getByText(/Opted out: reported by a volunteer in a conversation/)).toBeInTheDocument();
  });

  it('an opt-out the contact asked for has no Undo Opt Out, and says what lifts it: here, the START listed with Opt Back In', async () => {
    const { optIns } = await readSamsConversation({ reason: 'keyword: STOP', source: 'contact', at: outAt, undoable: false, start: 'listed' });
    const line = within(optIns).getByText(/Opted out: the contact asked to stop \(keyword: STOP\)/);
    expect(line).toHaveTextContent('Cannot be undone here: only their START can lift it. They have texted START, and Opt Back In is with it under Opt-ins.');
    expect(line).not.toHaveTextContent('the Admin section lists it');
    expect(within(optIns).queryByRole('button', { name: /Undo Opt Out/ })).not.toBeInTheDocument();
  });

  // As the Opt-outs row says it: a START lifts the organization's opt-out, never the block (the read's blocked).
  it("a blocked contact's conversation says lifting the opt-out leaves the block", async () => {
    const { optIns } = await readSamsConversation({ reason: 'blocked by a volunteer: threats', source: 'block', at: outAt, undoable: false }, [hi], {
      blocked: true,
    });
    expect(
      within(optIns).getByText('Blocked: a volunteer reported Sam Start for abuse. Lifting the opt-out leaves the block: nobody replies in this conversation.'),
    ).toBeInTheDocument();
    expect(within(optIns).getByText(/^Opted out: blocked by a volunteer ·/)).toHaveTextContent('If they text START, it is listed under Opt-ins, with Opt Back In.');
  });

  it("a conversation nobody blocked says nothing of a block", async () => {
    const { optIns } = await readSamsConversation({ reason: 'keyword: STOP', source: 'contact', at: outAt, undoable: false });
    expect(within(optIns).queryByText(/^Blocked:/)).not.toBeInTheDocument();
  });

  it("a block's opt-out is said in words, not as the server stores its reason", async () => {
    const { optIns } = await readSamsConversation({ reason: 'blocked by a volunteer: threats', source: 'block', at: outAt, undoable: false });
    const line = within(optIns).getByText(/^Opted out: blocked by a volunteer ·/);
    expect(line).not.toHaveTextContent('threats');
  });

  it("a report's opt-out filed in another campaign's conversation has no Undo Opt Out here, and says where it was filed", async () => {
    const { optIns } = await readSamsConversation({ reason: 'reported by volunteer', source: 'report', at: outAt, undoable: false, reportedIn: 'Other' });
    expect(within(optIns).getByText(/Opted out: reported by a volunteer in a conversation/)).toHaveTextContent(
      'Cannot be undone here: a report in a conversation of Other filed it. Its admins can read it there, and undo it if it was a mistake.',
    );
    expect(within(optIns).queryByRole('button', { name: /Undo Opt Out/ })).not.toBeInTheDocument();
  });

  it('Esc closes the dialog without undoing anything, focus back on Undo Opt Out', async () => {
    const { user, optIns } = await readSamsConversation({ reason: 'reported by volunteer', source: 'report', at: outAt, undoable: true });
    const undo = within(optIns).getByRole('button', { name: 'Undo Opt Out: Sam Start' });
    await user.click(undo);
    screen.getByRole('dialog', { name: 'Undo the opt-out of Sam Start?' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(undo).toHaveFocus();
    expect(fake.undoOptOut).not.toHaveBeenCalled();
  });
});
