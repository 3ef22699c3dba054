import { act, screen, waitFor, within } from '@testing-library/react';
import type { AdminOverview } from '../../backend';
import { keys } from '../../lib/queryKeys';
import * as fake from '../../test/fakeBackend';
import { aCampaign, aThreadView } from '../../test/fixtures';
import { openThread as setup } from '../../test/openThread';
import conversationsCss from './conversations.css?raw';

// The notes above a conversation's messages and the actions beside them:
// the opt-out banner, Report abuse, Reassign, who handed it over or opted
// the contact back in. (Reports: Conversation.test.tsx.)

describe('opt-outs', () => {
  it('shows the banner on a likely opt-out and files the Opt Out report with one button', async () => {
    const view = aThreadView({ optOutSuggested: true });
    view.messages.push({ id: 'm3', threadId: 't1', direction: 'in', body: 'no more texts please', status: 'received', createdAt: '2026-01-01T11:00:00Z', pending: false, likelyOptOut: true });
    const { user } = await setup(view);
    const banner = screen.getByRole('region', { name: 'This may be an opt-out request' });
    expect(banner).toHaveTextContent('no more texts please');
    await user.click(within(banner).getByRole('button', { name: 'Opt Out' }));
    expect(fake.submitReport).toHaveBeenCalledWith('t1', { opt_out: 'true' });
  });

  it('Not an opt-out files a report saying so, which decides, so the banner does not stay', async () => {
    const view = aThreadView({ optOutSuggested: true });
    const { user } = await setup(view);
    const banner = screen.getByRole('region', { name: 'This may be an opt-out request' });
    await user.click(within(banner).getByRole('button', { name: 'Not an opt-out' }));
    expect(fake.submitReport).toHaveBeenCalledWith('t1', { opt_out: 'false' });
  });

  it('an organizer sees that an opted-out contact texted START since, with Opt Back In; a volunteer does not', async () => {
    const optIns = [{ id: 'oi1', threadId: 't1', contactPhone: '+12025550143', contactName: 'Ada Lovelace', body: 'START', at: '2026-01-02T12:00:00Z', optedOut: true }];
    for (const role of ['admin', 'volunteer']) {
      fake.campaigns.mockResolvedValue([aCampaign({ role })]);
      const view = aThreadView();
      view.thread.optedOut = true;
      const { user, queryClient, unmount } = await setup(view);
      await screen.findByText('Ada Lovelace opted out: they will not be texted again.');
      act(() => queryClient.setQueryData(keys.admin('c1'), { optIns } as unknown as AdminOverview));
      if (role === 'volunteer') {
        await waitFor(() => expect(screen.queryByText(/Then they texted/)).not.toBeInTheDocument());
        expect(screen.queryByRole('button', { name: 'Opt Back In' })).not.toBeInTheDocument();
      } else {
        expect(await screen.findByText(/^Then they texted “START”/)).toBeInTheDocument();
        await user.click(screen.getByRole('button', { name: 'Opt Back In' }));
        expect(await screen.findByRole('dialog', { name: 'Opt Ada Lovelace back in?' })).toBeInTheDocument();
      }
      unmount();
    }
  });

  it("an organizer holding a conversation a report opted out has Undo Opt Out; a volunteer's asks nothing", async () => {
    fake.adminThread.mockResolvedValue({ messages: [], optOut: { reason: 'reported by volunteer', source: 'report', at: '2026-01-02T12:00:00Z', undoable: true } });
    for (const role of ['volunteer', 'admin']) {
      fake.campaigns.mockResolvedValue([aCampaign({ role })]);
      const view = aThreadView();
      view.thread.optedOut = true;
      const { user, unmount } = await setup(view);
      await screen.findByText('Ada Lovelace opted out: they will not be texted again.');
      if (role === 'volunteer') {
        await waitFor(() => expect(screen.queryByRole('button', { name: /Undo Opt Out/ })).not.toBeInTheDocument());
        expect(fake.adminThread).not.toHaveBeenCalled();
      } else {
        await user.click(await screen.findByRole('button', { name: 'Undo Opt Out: Ada Lovelace' }));
        expect(await screen.findByRole('dialog', { name: 'Undo the opt-out of Ada Lovelace?' })).toBeInTheDocument();
        expect(fake.adminThread).toHaveBeenCalledWith('c1', 't1');
      }
      unmount();
    }
  });

  it('an organizer holding a conversation the contact opted out of reads why it cannot be undone, with no Undo Opt Out', async () => {
    fake.adminThread.mockResolvedValue({ messages: [], optOut: { reason: 'keyword: STOP', source: 'contact', at: '2026-01-02T12:00:00Z', undoable: false } });
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    const view = aThreadView();
    view.thread.optedOut = true;
    await setup(view);
    expect(await screen.findByText(/Opted out: the contact asked to stop \(keyword: STOP\)/)).toHaveTextContent('Cannot be undone here: only their START can lift it. If they text START, it is listed in the Admin section, under Opt-ins, with Opt Back In.');
    expect(screen.queryByRole('button', { name: /Undo Opt Out/ })).not.toBeInTheDocument();
  });

  it('an organizer whose opted-out contact texted START since reads that Opt Back In is above, not still to come from the Admin section', async () => {
    fake.adminThread.mockResolvedValue({ messages: [], optOut: { reason: 'keyword: STOP', source: 'contact', at: '2026-01-02T12:00:00Z', undoable: false } });
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    const view = aThreadView();
    view.thread.optedOut = true;
    const { queryClient } = await setup(view);
    const optIns = [{ id: 'oi1', threadId: 't1', contactPhone: '+12025550143', contactName: 'Ada Lovelace', body: 'START', at: '2026-01-03T12:00:00Z', optedOut: true }];
    act(() => queryClient.setQueryData(keys.admin('c1'), { optIns } as unknown as AdminOverview));
    await screen.findByText(/^Then they texted “START”/);
    const line = await screen.findByText(/Opted out: the contact asked to stop \(keyword: STOP\)/);
    await waitFor(() => expect(line).toHaveTextContent('Cannot be undone here: only their START can lift it. They have texted START, and Opt Back In is above.'));
    expect(line).not.toHaveTextContent('in the Admin section');
  });

  // Where the START is, the server says (optOut.start): one marked reviewed is not above, nor still to come.
  it("an organizer whose opted-out contact texted START since, marked reviewed, reads where Opt Back In is, in the Admin section's words", async () => {
    fake.adminThread.mockResolvedValue({
      messages: [],
      optOut: { reason: 'keyword: STOP', source: 'contact', at: '2026-01-02T12:00:00Z', undoable: false, start: 'reviewed' },
    });
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    const view = aThreadView();
    view.thread.optedOut = true;
    await setup(view);
    const line = await screen.findByText(/Opted out: the contact asked to stop \(keyword: STOP\)/);
    expect(line).toHaveTextContent(
      'Cannot be undone here: only their START can lift it. They have texted START, since marked reviewed, and Opt Back In is with it in the Admin section, under Opt-ins, in Show reviewed.',
    );
  });

  // As for one still listed: the START the contact sent is said above, with Opt Back In, though the Admin section's
  // overview (open opt-ins only) no longer has it.
  it('an organizer whose opted-out contact texted START, marked reviewed, reads that START above, with Opt Back In', async () => {
    fake.adminThread.mockResolvedValue({
      messages: [],
      optOut: { reason: 'keyword: STOP', source: 'contact', at: '2026-01-02T12:00:00Z', undoable: false, start: 'reviewed' },
    });
    fake.reviewedOptIns.mockResolvedValue([
      { id: 'oi0', threadId: 't9', contactPhone: '+12025550199', contactName: 'Someone Else', body: 'START', at: '2026-01-04T12:00:00Z', optedOut: true, reviewedAt: '2026-01-04T13:00:00Z' },
      { id: 'oi1', threadId: 't1', contactPhone: '+12025550143', contactName: 'Ada Lovelace', body: 'Unstop', at: '2026-01-03T12:00:00Z', optedOut: true, reviewedAt: '2026-01-03T13:00:00Z' },
    ]);
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    const view = aThreadView();
    view.thread.optedOut = true;
    const { user } = await setup(view);
    expect(await screen.findByText(/^Then they texted “Unstop”/)).toHaveTextContent(/, since marked reviewed\.$/);
    const line = screen.getByText(/Opted out: the contact asked to stop \(keyword: STOP\)/);
    await waitFor(() => expect(line).toHaveTextContent('Cannot be undone here: only their START can lift it. They have texted START, and Opt Back In is above.'));
    await user.click(screen.getByRole('button', { name: 'Opt Back In' }));
    expect(await screen.findByRole('dialog', { name: 'Opt Ada Lovelace back in?' })).toBeInTheDocument();
    expect(fake.reviewedOptIns).toHaveBeenCalledWith('c1');
  });

  // An open START was said only when the Admin section had fetched its overview; one reviewed was fetched when needed.
  it("an organizer whose opted-out contact texted START, still open, reads it with Opt Back In though the Admin section was never opened", async () => {
    fake.adminThread.mockResolvedValue({
      messages: [],
      optOut: { reason: 'keyword: STOP', source: 'contact', at: '2026-01-02T12:00:00Z', undoable: false, start: 'listed' },
    });
    const optIns = [{ id: 'oi1', threadId: 't1', contactPhone: '+12025550143', contactName: 'Ada Lovelace', body: 'START', at: '2026-01-03T12:00:00Z', optedOut: true }];
    fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], unroutable: [], optIns });
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    const view = aThreadView();
    view.thread.optedOut = true;
    const { user, queryClient } = await setup(view);
    expect(await screen.findByText(/^Then they texted “START”/)).toBeInTheDocument();
    expect(fake.adminOverview).toHaveBeenCalledWith('c1');
    // Through the query cache, where the Admin section reads it too.
    expect(queryClient.getQueryData<AdminOverview>(keys.admin('c1'))?.optIns).toEqual(optIns);
    await user.click(screen.getByRole('button', { name: 'Opt Back In' }));
    expect(await screen.findByRole('dialog', { name: 'Opt Ada Lovelace back in?' })).toBeInTheDocument();
  });

  // A long START squeezed the button to "Opt Back / In" at 1280 px: the sentence wraps, the button keeps its line.
  it('Opt Back In keeps to one line beside a long START', async () => {
    const sheet = document.createElement('style');
    sheet.textContent = conversationsCss;
    document.head.append(sheet);
    try {
      fake.adminThread.mockResolvedValue({
        messages: [],
        optOut: { reason: 'keyword: STOP', source: 'contact', at: '2026-01-02T12:00:00Z', undoable: false, start: 'listed' },
      });
      const optIns = [{ id: 'oi1', threadId: 't1', contactPhone: '+12025550143', contactName: 'Ada Lovelace', body: 'Start please, I moved back to town', at: '2026-01-03T12:00:00Z', optedOut: true }];
      fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], unroutable: [], optIns });
      fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
      const view = aThreadView();
      view.thread.optedOut = true;
      await setup(view);
      const button = await screen.findByRole('button', { name: 'Opt Back In' });
      expect(getComputedStyle(button).whiteSpace).toBe('nowrap');
      expect(getComputedStyle(button).flexShrink).toBe('0');
    } finally {
      sheet.remove();
    }
  });

  it('an organizer reads why the START could not be loaded, in words', async () => {
    fake.adminThread.mockResolvedValue({
      messages: [],
      optOut: { reason: 'keyword: STOP', source: 'contact', at: '2026-01-02T12:00:00Z', undoable: false, start: 'listed' },
    });
    fake.adminOverview.mockRejectedValue("can't reach the campaign server");
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    const view = aThreadView();
    view.thread.optedOut = true;
    await setup(view);
    expect(await screen.findByRole('alert')).toHaveTextContent("Could not load the START Ada Lovelace texted since, with Opt Back In: can't reach the campaign server.");
    expect(screen.queryByRole('button', { name: 'Opt Back In' })).not.toBeInTheDocument();
  });

  it("an organizer reads why an opted-out conversation's opt-out could not be loaded, in words", async () => {
    fake.adminThread.mockRejectedValue("can't reach the campaign server");
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    const view = aThreadView();
    view.thread.optedOut = true;
    await setup(view);
    expect(await screen.findByRole('alert')).toHaveTextContent("Could not load why Ada Lovelace is opted out: can't reach the campaign server.");
  });

  it('a volunteer’s opted-out conversation asks for no opt-out details and says nothing of them', async () => {
    fake.adminThread.mockResolvedValue({
      messages: [],
      optOut: { reason: 'keyword: STOP', source: 'contact', at: '2026-01-02T12:00:00Z', undoable: false, start: 'listed' },
    });
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'volunteer' })]);
    const view = aThreadView();
    view.thread.optedOut = true;
    await setup(view);
    await screen.findByText('Ada Lovelace opted out: they will not be texted again.');
    await waitFor(() => expect(fake.campaigns).toHaveBeenCalled());
    expect(fake.adminThread).not.toHaveBeenCalled();
    expect(fake.adminOverview).not.toHaveBeenCalled();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  // As in the Admin section: the line goes with the focused button, and focus goes to the words saying it was undone.
  it('Undo Opt Out in the inbox moves focus to the words saying it was undone', async () => {
    const optOut = { reason: 'reported by volunteer', source: 'report', at: '2026-01-02T12:00:00Z', undoable: true };
    fake.adminThread.mockResolvedValue({ messages: [], optOut });
    fake.undoOptOut.mockResolvedValue({ messages: [] });
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    const view = aThreadView();
    view.thread.optedOut = true;
    const { user } = await setup(view);
    await user.click(await screen.findByRole('button', { name: 'Undo Opt Out: Ada Lovelace' }));
    const dialog = await screen.findByRole('dialog', { name: 'Undo the opt-out of Ada Lovelace?' });
    await user.click(within(dialog).getByRole('button', { name: 'Undo Opt Out' }));
    const done = await screen.findByText('Opt-out undone: Ada Lovelace may be texted again.');
    await waitFor(() => expect(done).toHaveFocus());
    expect(screen.queryByRole('button', { name: /Undo Opt Out/ })).not.toBeInTheDocument();
  });

  it('shows no banner when nothing suggests an opt-out, or the contact already opted out', async () => {
    await setup();
    expect(screen.queryByText('This may be an opt-out request')).not.toBeInTheDocument();
  });

  it('says why the banner’s opt-out failed', async () => {
    fake.submitReport.mockRejectedValue('you are offline and the queue is full');
    const { user } = await setup(aThreadView({ optOutSuggested: true }));
    await user.click(screen.getByRole('button', { name: 'Opt Out' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not opt them out: you are offline and the queue is full');
  });
});

describe('Report abuse', () => {
  it('blocks with a reason and a note, and goes back to the inbox', async () => {
    const { user, router } = await setup();
    await user.click(screen.getByRole('button', { name: 'Report abuse' }));
    const dialog = screen.getByRole('dialog', { name: 'Report abuse by Ada Lovelace' });
    const reasons = within(dialog).getByRole('group', { name: 'Reason' });
    expect(within(reasons).getAllByRole('radio').map((r) => r.closest('label')?.textContent)).toEqual(['Harassment', 'Threats', 'Spam', 'Other']);
    await user.click(within(dialog).getByRole('button', { name: 'Block Contact' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Choose a reason');
    await user.click(within(dialog).getByRole('radio', { name: 'Threats' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Note (optional)' }), 'said they know where I live');
    await user.click(within(dialog).getByRole('button', { name: 'Block Contact' }));
    expect(fake.blockContact).toHaveBeenCalledWith('t1', 'threats', 'said they know where I live');
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    // The inbox says what happened (App's empty pane shows it).
    expect(router.state.location.state).toEqual({ done: 'Ada Lovelace is blocked and opted out. Your organizers have your report.' });
  });

  it('goes back to the inbox with its filter and search as they were', async () => {
    const { user, router } = await setup(aThreadView(), '?filter=needs_attention&q=ada');
    await user.click(screen.getByRole('button', { name: 'Report abuse' }));
    await user.click(screen.getByRole('radio', { name: 'Spam' }));
    await user.click(screen.getByRole('button', { name: 'Block Contact' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    expect(router.state.location.search).toBe('?filter=needs_attention&q=ada');
  });

  it('says why a block failed and stays', async () => {
    fake.blockContact.mockRejectedValue('not available yet');
    const { user, router } = await setup();
    await user.click(screen.getByRole('button', { name: 'Report abuse' }));
    await user.click(screen.getByRole('radio', { name: 'Spam' }));
    await user.click(screen.getByRole('button', { name: 'Block Contact' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Ada Lovelace was not blocked: not available yet');
    expect(router.state.location.pathname).toBe('/c/c1/thread/t1');
  });
});

describe('Reassign', () => {
  it('Reassign Conversation hands the thread to the only admin with a note and leaves it', async () => {
    const { user, router } = await setup();
    await user.click(screen.getByRole('button', { name: 'Reassign Conversation' }));
    const dialog = screen.getByRole('dialog', { name: 'Reassign Conversation' });
    expect(await within(dialog).findByText('Hand the conversation with Ada Lovelace to Olive Organizer.')).toBeInTheDocument();
    expect(within(dialog).queryByRole('radio')).not.toBeInTheDocument();
    await user.type(within(dialog).getByRole('textbox', { name: 'Note (optional)' }), 'asks about absentee ballots');
    await user.click(within(dialog).getByRole('button', { name: 'Reassign' }));
    expect(fake.reassignTargets).toHaveBeenCalledWith('a1');
    expect(fake.reassign).toHaveBeenCalledWith('t1', 'admin', 'asks about absentee ballots');
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    expect(router.state.location.state).toEqual({ done: 'The conversation with Ada Lovelace is now with Olive Organizer.' });
  });

  // A volunteer working through Needs Attention stays there, as the conversation's Back keeps it.
  it('Reassign Conversation goes back to the inbox with its filter and search as they were', async () => {
    const { user, router } = await setup(aThreadView(), '?filter=needs_attention&q=ada');
    await user.click(screen.getByRole('button', { name: 'Reassign Conversation' }));
    const dialog = screen.getByRole('dialog', { name: 'Reassign Conversation' });
    await within(dialog).findByText('Hand the conversation with Ada Lovelace to Olive Organizer.');
    await user.click(within(dialog).getByRole('button', { name: 'Reassign' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    expect(router.state.location.search).toBe('?filter=needs_attention&q=ada');
  });

  it('lets the volunteer choose when the campaign has several admins, the creator first', async () => {
    fake.reassignTargets.mockResolvedValue([
      { id: 'admin', name: 'Olive Organizer', email: 'o@example.org' },
      { id: 'admin2', name: 'Pat Partner', email: 'p@example.org' },
    ]);
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Reassign Conversation' }));
    const group = await screen.findByRole('group', { name: 'Hand to' });
    expect(within(group).getByRole('radio', { name: /Olive Organizer/ })).toBeChecked();
    await user.click(within(group).getByRole('radio', { name: 'Pat Partner' }));
    await user.click(screen.getByRole('button', { name: 'Reassign' }));
    expect(fake.reassign).toHaveBeenCalledWith('t1', 'admin2', '');
  });

  it('Reassign All Conversations names the count before handing them over', async () => {
    fake.reassignableCount.mockResolvedValue(12);
    fake.reassignAll.mockResolvedValue(12);
    const { user, router } = await setup();
    await user.click(screen.getByRole('button', { name: 'Reassign All Conversations' }));
    const dialog = screen.getByRole('dialog', { name: 'Reassign All Conversations' });
    expect(await within(dialog).findByText('Reassign all 12 conversations you hold in Get Out The Vote to Olive Organizer?')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Reassign 12 Conversations' }));
    expect(fake.reassignableCount).toHaveBeenCalledWith('a1');
    expect(fake.reassignAll).toHaveBeenCalledWith('a1', 'admin', '');
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
    expect(router.state.location.state).toEqual({ done: '12 conversations of Get Out The Vote are now with Olive Organizer.' });
  });

  it('says when there is nobody to hand to, in the place of the Reassign buttons', async () => {
    fake.reassignTargets.mockResolvedValue([]);
    await setup();
    expect(await screen.findByText('Nobody to reassign to: this campaign has no organizer yet.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reassign Conversation' })).not.toBeInTheDocument();
  });

  it('says why reassigning failed', async () => {
    fake.reassign.mockRejectedValue('only the owner of a conversation can reassign it');
    const { user } = await setup();
    await user.click(screen.getByRole('button', { name: 'Reassign Conversation' }));
    await screen.findByText(/to Olive Organizer/);
    await user.click(screen.getByRole('button', { name: 'Reassign' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Nothing was reassigned: only the owner of a conversation can reassign it');
  });

  it('a reassigned thread says who handed it over and why', async () => {
    const view = aThreadView();
    view.thread.reassigned = { fromUserId: 'u2', fromUserName: 'Sam Second', note: 'asks about ballots', at: '2026-01-01T12:00:00Z' };
    await setup(view);
    expect(screen.getByText('Reassigned to you by Sam Second: asks about ballots')).toBeInTheDocument();
  });

  it('a contact opted back in says who did it, and Follow Up is there', async () => {
    const view = aThreadView();
    view.thread.optedBackIn = { byName: 'Orla Organizer', at: '2026-01-02T12:00:00Z' };
    await setup(view);
    expect(screen.getByText(/^Orla Organizer opted .+ back in on .+, after they texted START: you can text them again\.$/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Follow Up' })).toBeInTheDocument();
  });

  it("a report's opt-out an organizer undid says who undid it and when, not a START", async () => {
    const view = aThreadView();
    view.thread.optedBackIn = { byName: 'Orla Organizer', at: '2026-01-02T12:00:00Z', undone: true };
    await setup(view);
    expect(screen.getByText(/^Orla Organizer undid the opt-out of .+ on .+: a report had opted them out by mistake, and you can text them again\.$/)).toBeInTheDocument();
    expect(screen.queryByText(/after they texted START/)).not.toBeInTheDocument();
  });

  it('says nothing of an opt-back-in once the contact opted out again', async () => {
    const view = aThreadView();
    view.thread.optedBackIn = { byName: 'Orla Organizer', at: '2026-01-02T12:00:00Z' };
    view.thread.optedOut = true;
    await setup(view);
    expect(screen.queryByText(/opted .+ back in/)).not.toBeInTheDocument();
  });
});
