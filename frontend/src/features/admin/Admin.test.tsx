import { act, screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus, aThreadView } from '../../test/fixtures';
import { renderApp } from '../../test/render';

function signedIn(role: string) {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue([aCampaign({ role })]);
  fake.actions.mockResolvedValue([anAction({ textingHours: { start: '09:00', end: '21:00' }, batchSize: 50 })]);
}

describe('Admin section', () => {
  it('volunteers see no Admin entry', async () => {
    signedIn('volunteer');
    renderApp('/c/c1');
    await screen.findByText('Get Out The Vote');
    expect(screen.queryByRole('button', { name: 'Admin' })).not.toBeInTheDocument();
    expect(fake.adminOverview).not.toHaveBeenCalled();
  });

  it('an admin opens it from the sidebar; each empty list says so for an organizer', async () => {
    signedIn('admin');
    const { user, router } = renderApp('/c/c1');
    await user.click(await screen.findByRole('button', { name: 'Admin' }));
    expect(router.state.location.pathname).toBe('/c/c1/admin');
    expect(await screen.findByRole('heading', { name: 'Admin', level: 1 })).toBeInTheDocument();
    const section = (name: RegExp) => screen.getByRole('region', { name });
    expect(await screen.findByText('Nobody has handed you a conversation.')).toBeInTheDocument();
    expect(section(/^Reassigned to me/)).toHaveTextContent('(0)');
    expect(section(/^Reports of abuse/)).toHaveTextContent('No volunteer has reported abuse in this campaign.');
    expect(section(/^Unroutable texts/)).toHaveTextContent('Every incoming text reached its conversation.');
    expect(section(/^Opt-ins/)).toHaveTextContent('No opted-out contact has texted START');
    expect(fake.adminOverview).toHaveBeenCalledWith('c1');
    expect(screen.getByRole('button', { name: 'Admin' })).toHaveAttribute('aria-current', 'page');
  });

  it('an archived campaign says so at the top of its Admin page', async () => {
    signedIn('admin');
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin', archived: true })]);
    renderApp('/c/c1/admin');
    expect(await screen.findByText(/This campaign is archived: nobody can join it and no first texts go out/)).toBeInTheDocument();
    // Its code joins nobody: not offered.
    expect(screen.queryByText(/Volunteers join with the code/)).not.toBeInTheDocument();
  });

  it('an active campaign says nothing of archiving, and names the code volunteers join with', async () => {
    signedIn('admin');
    renderApp('/c/c1/admin');
    await screen.findByText('Nobody has handed you a conversation.');
    expect(screen.queryByText(/This campaign is archived/)).not.toBeInTheDocument();
    expect(screen.getByText((_, el) => el?.tagName === 'P' && el.textContent === 'Volunteers join with the code 123456.')).toBeInTheDocument();
  });

  it('in a campaign of several actions, a reassigned row names its action', async () => {
    signedIn('admin');
    fake.actions.mockResolvedValue([anAction(), anAction({ id: 'a2', title: 'Recruit Volunteers' })]);
    const t = aThreadView().thread;
    t.id = 't9';
    t.actionId = 'a2';
    t.reassigned = { fromUserId: 'u2', fromUserName: 'Vera Volunteer', note: '', at: '2026-01-01T12:00:00Z' };
    fake.adminOverview.mockResolvedValue({ reassigned: [t], abuseReports: [], unroutable: [], optIns: [] });
    renderApp('/c/c1/admin');
    const mine = await screen.findByRole('region', { name: /^Reassigned to me/ });
    expect(await within(mine).findByText('Recruit Volunteers · From Vera Volunteer', { exact: false })).toBeInTheDocument();
  });

  it('lists what needs an organizer, and opens a reassigned conversation', async () => {
    signedIn('admin');
    const reassigned = aThreadView().thread;
    reassigned.id = 't7';
    reassigned.contactName = '(555) 000-1111'; // no name: the Go side names them by their number
    reassigned.reassigned = { fromUserId: 'u2', fromUserName: 'Vera Volunteer', note: 'asks about ballots', at: '2026-01-01T12:00:00Z' };
    fake.adminOverview.mockResolvedValue({
      reassigned: [reassigned],
      abuseReports: [{ id: 'b1', threadId: 't8', actionTitle: 'Get Out The Vote', contactName: 'Rude Rick', contactPhone: '+15550002222', reportedBy: 'Vera Volunteer', reason: 'harassment', note: 'swore at me', at: '2026-01-01T12:00:00Z', lastMessage: 'go away' }],
      unroutable: [{ id: 'u1', from: '+15550003333', fromDisplay: '(555) 000-3333', to: '+15559990000', toDisplay: '(555) 999-0000', body: 'who is this?', at: '2026-01-01T12:00:00Z' }],
      optIns: [{ id: 'o1', contactPhone: '+15550004444', contactName: 'Sam Start', body: 'START', at: '2026-01-01T12:00:00Z', optedOut: true }],
    });
    fake.thread.mockResolvedValue(aThreadView({ thread: reassigned }));
    const { user, router } = renderApp('/c/c1/admin');
    const mine = await screen.findByRole('region', { name: /^Reassigned to me/ });
    expect(await within(mine).findByText('From Vera Volunteer: asks about ballots', { exact: false })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: /^Reports of abuse/ })).toHaveTextContent('Rude Rick · Harassment · reported by Vera Volunteer');
    expect(screen.getByRole('region', { name: /^Reports of abuse/ })).toHaveTextContent('Note: swore at me');
    expect(screen.getByRole('region', { name: /^Unroutable texts/ })).toHaveTextContent('(555) 000-3333 to (555) 999-0000“who is this?”');
    expect(screen.getByRole('region', { name: /^Opt-ins/ })).toHaveTextContent('Sam Start: “START”');
    // Still opted out until an organizer decides (Opt Back In, Reviews.test.tsx).
    expect(screen.getByRole('region', { name: /^Opt-ins/ })).toHaveTextContent(
      'Still opted out: nobody in your organization can text this number until an organizer opts it back in.',
    );
    // A contact without a name is named by number, as people write it.
    await user.click(within(mine).getByRole('button', { name: '(555) 000-1111' }));
    expect(router.state.location.pathname).toBe('/c/c1/thread/t7');
    expect(await screen.findByText('Reassigned to you by Vera Volunteer: asks about ballots')).toBeInTheDocument();
  });

  it('a conversation reassigned to the admin is announced as such, with a way to open it', async () => {
    signedIn('admin');
    renderApp('/c/c1');
    await screen.findByRole('button', { name: 'Admin' });
    act(() => fake.emit('reply:new', { threadId: 't7', contactName: 'Ada Lovelace', body: 'asks about ballots', at: '2026-11-29T12:00:00Z', reassigned: true, reassignedBy: 'Vera Volunteer' }));
    expect(await screen.findByText('Vera Volunteer reassigned Ada Lovelace to you')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open' })).toHaveAttribute('href', '/c/c1/thread/t7');
  });

  it('Reassign All Conversations is announced as the count handed over, opening the Admin section', async () => {
    signedIn('admin');
    const { router } = renderApp('/c/c1');
    await screen.findByRole('button', { name: 'Admin' });
    const handed = (threadId: string, contactName: string) =>
      fake.emit('reply:new', { threadId, campaignId: 'c1', contactName, body: 'out this week', at: '2026-11-29T12:00:00Z', reassigned: true, reassignedBy: 'Vera Volunteer' });
    act(() => {
      handed('t7', 'Ada Lovelace');
      handed('t8', 'Bob Moses');
      handed('t9', 'Cy Young');
    });
    expect(await screen.findByText('Vera Volunteer reassigned 3 conversations to you')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open' })).toHaveAttribute('href', '/c/c1/admin');
    // The notification of the same handover opens the same place, from anywhere.
    await act(() => router.navigate('/settings'));
    act(() => fake.emit('navigate:admin', 'c1'));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1/admin'));
    // A later handover on its own is named again.
    act(() => fake.emit('reply:new', { threadId: 't10', campaignId: 'c1', contactName: 'Dee Dee', body: '', at: '2026-11-29T13:00:00Z', reassigned: true, reassignedBy: 'Vera Volunteer' }));
    expect(await screen.findByText('Vera Volunteer reassigned Dee Dee to you')).toBeInTheDocument();
  });

  // The action's creator receives handovers too, and may be no admin (removed since): no Admin section to open.
  it("conversations handed at once to an action's creator who is no admin open the inbox", async () => {
    signedIn('volunteer');
    const { router } = renderApp('/c/c1');
    await screen.findByText('Get Out The Vote');
    act(() => {
      for (const id of ['t7', 't8']) {
        fake.emit('reply:new', { threadId: id, campaignId: 'c1', contactName: id, body: '', at: '2026-11-29T12:00:00Z', reassigned: true, reassignedBy: 'Vera Volunteer' });
      }
    });
    expect(await screen.findByText('Vera Volunteer reassigned 2 conversations to you')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open' })).toHaveAttribute('href', '/c/c1');
    await act(() => router.navigate('/settings'));
    act(() => fake.emit('navigate:admin', 'c1'));
    await waitFor(() => expect(router.state.location.pathname).toBe('/c/c1'));
  });

  it('names every section with its count at the top, and marks the conversations not answered yet', async () => {
    signedIn('admin');
    // Whether each waits is the Go side's judgement (inbox.AwaitsAnswer, tested there), on the row.
    const waiting = { ...aThreadView().thread, id: 't7', contactName: 'Ada Lovelace', awaitsAnswer: true };
    const answered = { ...aThreadView().thread, id: 't8', contactName: 'Bob Moses', awaitsAnswer: false };
    const unseen = { ...aThreadView().thread, id: 't6', contactName: 'Ella Baker', awaitsAnswer: true };
    fake.adminOverview.mockResolvedValue({
      reassigned: [answered, unseen, waiting], // newest handover first: the ones waiting for an answer are listed first all the same
      abuseReports: [{ id: 'b9', threadId: 't9', actionTitle: 'Get Out The Vote', contactName: 'Rude Rick', contactPhone: '+15550002222', reportedBy: 'Vera Volunteer', reason: 'spam', note: '', at: '2026-01-01T12:00:00Z', lastMessage: '' }],
      unroutable: [],
      optIns: [],
    });
    const { user } = renderApp('/c/c1/admin');
    const index = await screen.findByRole('navigation', { name: 'Admin sections' });
    await within(index).findByRole('button', { name: 'Reassigned to me (3)' });
    expect(within(index).getAllByRole('button').map((b) => b.textContent)).toEqual([
      'Reassigned to me (3)', 'Reports of abuse (1)', 'Unroutable texts (0)', 'Opt-ins (0)', 'Opt-outs (0)', 'Results',
    ]);
    await user.click(within(index).getByRole('button', { name: 'Unroutable texts (0)' }));
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Unroutable texts (0)', level: 2 }));
    const mine = screen.getByRole('region', { name: /^Reassigned to me/ });
    const rows = within(mine).getAllByRole('listitem');
    expect(rows[0]).toHaveTextContent('Ella BakerNot answered yet');
    expect(rows[1]).toHaveTextContent('Ada LovelaceNot answered yet');
    expect(rows[2]).toHaveTextContent('Bob Moses');
    expect(rows[2]).not.toHaveTextContent('Not answered yet');
    expect(mine).toHaveTextContent('2 are not answered yet, listed first.');
  });

  it('a conversation handed over while the admin is on a row keeps focus on that row, not on its place', async () => {
    signedIn('admin');
    const ada = aThreadView().thread;
    Object.assign(ada, { id: 't7', contactName: 'Ada Lovelace' });
    const bob = aThreadView().thread;
    Object.assign(bob, { id: 't8', contactName: 'Bob Moses' });
    fake.adminOverview.mockResolvedValue({ reassigned: [ada], abuseReports: [], unroutable: [], optIns: [] });
    renderApp('/c/c1/admin');
    const mine = await screen.findByRole('region', { name: /^Reassigned to me/ });
    const row = await within(mine).findByRole('button', { name: 'Ada Lovelace' });
    act(() => row.focus());
    fake.adminOverview.mockResolvedValue({ reassigned: [bob, ada], abuseReports: [], unroutable: [], optIns: [] });
    act(() => fake.emit('admin:changed', { campaignId: 'c1' }));
    await within(mine).findByRole('button', { name: 'Bob Moses' });
    expect(document.activeElement).toHaveTextContent('Ada Lovelace');
  });

  it('a report of abuse opens the whole blocked conversation, fetched when opened', async () => {
    signedIn('admin');
    fake.adminOverview.mockResolvedValue({
      reassigned: [],
      abuseReports: [{ id: 'b1', threadId: 't8', actionTitle: 'Get Out The Vote', contactName: 'Rude Rick', contactPhone: '+15550002222', reportedBy: 'Vera Volunteer', reason: 'harassment', note: '', at: '2026-01-01T12:00:00Z', lastMessage: 'go away' }],
      unroutable: [],
      optIns: [],
    });
    fake.adminThread.mockResolvedValue({
      messages: [
        { id: 'm1', threadId: 't8', direction: 'out', body: 'Hi Rick, will you vote?', status: 'delivered', createdAt: '2026-01-01T10:00:00Z', sentBy: 'u2', sentByName: 'Vera Volunteer' },
        { id: 'm2', threadId: 't8', direction: 'in', body: 'go away', status: 'received', createdAt: '2026-01-01T11:00:00Z' },
      ],
    });
    const { user } = renderApp('/c/c1/admin');
    const abuse = await screen.findByRole('region', { name: /^Reports of abuse/ });
    await within(abuse).findByText(/Rude Rick/);
    expect(fake.adminThread).not.toHaveBeenCalled();
    await user.click(within(abuse).getByText('Read the conversation'));
    const exchange = await within(abuse).findByRole('list', { name: 'Conversation with Rude Rick' });
    const lines = within(exchange).getAllByRole('listitem');
    expect(lines[0]).toHaveTextContent('Vera Volunteer: Hi Rick, will you vote?');
    expect(lines[1]).toHaveTextContent('Rude Rick: go away');
    expect(fake.adminThread).toHaveBeenCalledWith('c1', 't8');
  });

  it('the Admin entry sits with the campaign, not among its actions; the switcher says where one organizes', async () => {
    signedIn('admin');
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' }), aCampaign({ id: 'c2', name: 'Clean Water Now' })]);
    const { user } = renderApp('/c/c1');
    const admin = await screen.findByRole('button', { name: 'Admin' });
    expect(screen.getByRole('region', { name: 'Campaign' })).toContainElement(admin);
    expect(screen.getByRole('region', { name: 'Actions' })).not.toContainElement(admin);
    const switcher = screen.getByRole('button', { name: /^Switch campaign/ });
    expect(switcher).toHaveAccessibleName('Switch campaign Demo for Democracy (organizer)');
    await user.click(switcher);
    const menu = screen.getByRole('menu', { name: 'Campaigns' });
    expect(within(menu).getAllByRole('menuitemradio').map((o) => o.textContent)).toEqual(['✓Demo for Democracy (organizer)', 'Clean Water Now']);
  });

  it('says why the overview could not be loaded', async () => {
    signedIn('admin');
    fake.adminOverview.mockRejectedValue('only the campaign’s admins can see this');
    renderApp('/c/c1/admin');
    expect(await screen.findByRole('alert')).toHaveTextContent('Only the campaign’s admins can see this.');
  });

  it('the action intro names the texting hours and the batch size', async () => {
    signedIn('volunteer');
    renderApp('/c/c1/action/a1');
    const facts = await screen.findByRole('list', { name: 'Texting rules' });
    expect(facts).toHaveTextContent("Texting hours: 9 AM–9 PM in each contact's time zone");
    expect(facts).toHaveTextContent('Batch size: 50 contacts');
  });
});
