import { screen, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus, aThreadView } from '../../test/fixtures';
import { renderApp } from '../../test/render';

function admin(overview: Partial<Awaited<ReturnType<typeof fake.adminOverview>>>) {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
  fake.actions.mockResolvedValue([anAction()]);
  fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], unroutable: [], optIns: [], ...overview });
}

const at = '2026-01-01T12:00:00Z';

// Every row of the Admin section leads somewhere an organizer can act on.
describe('Admin section rows', () => {
  it("an opt-in in the admin's own inbox opens its conversation", async () => {
    const view = aThreadView();
    view.thread = { ...view.thread, id: 't5', contactName: 'Sam Start' };
    fake.thread.mockResolvedValue(view);
    admin({ optIns: [{ id: 'oi5', contactPhone: '+15550004444', contactName: 'Sam Start', body: 'START', at, threadId: 't5', yours: true }] });
    const { user, router } = renderApp('/c/c1/admin');
    const optIns = await screen.findByRole('region', { name: /^Opt-ins/ });
    await user.click(await within(optIns).findByRole('button', { name: 'Open the conversation with Sam Start' }));
    expect(router.state.location.pathname).toBe('/c/c1/thread/t5');
    expect(await screen.findByRole('heading', { name: 'Sam Start' })).toBeInTheDocument();
  });

  it("an opt-in in a volunteer's inbox says whose, and is read in place", async () => {
    admin({ optIns: [{ id: 'oi6', contactPhone: '+15550004444', contactName: 'Sam Start', body: 'START', at, threadId: 't6', heldBy: 'Vera Volunteer' }] });
    fake.adminThread.mockResolvedValue({
      messages: [
        { id: 'm1', threadId: 't6', direction: 'out', body: 'Hi Sam', status: 'delivered', createdAt: at, sentBy: 'u2', sentByName: 'Vera Volunteer' },
        { id: 'm2', threadId: 't6', direction: 'in', body: 'START', status: 'received', createdAt: at },
      ],
    });
    const { user } = renderApp('/c/c1/admin');
    const optIns = await screen.findByRole('region', { name: /^Opt-ins/ });
    expect(await within(optIns).findByText("In Vera Volunteer's inbox")).toBeInTheDocument();
    expect(within(optIns).queryByRole('button', { name: /Open the conversation/ })).not.toBeInTheDocument();
    // A summary (Enter and Space open it in a browser, not in jsdom), named for its contact.
    const read = within(optIns).getByText('Read the conversation', { selector: 'summary' });
    expect(read).toHaveAccessibleName('Read the conversation with Sam Start');
    await user.click(read);
    const exchange = await within(optIns).findByRole('list', { name: 'Conversation with Sam Start' });
    expect(within(exchange).getAllByRole('listitem')[1]).toHaveTextContent('Sam Start: START');
    expect(fake.adminThread).toHaveBeenCalledWith('c1', 't6');
  });

  // The Go side sends every column of the contact to the campaign's admins alone (a volunteer's app gets the shown ones).
  it("a conversation read in place shows every column of its contact, dob included", async () => {
    admin({ optIns: [{ id: 'oi7', contactPhone: '+15550004444', contactName: 'Ada Lovelace', body: 'START', at, threadId: 't7', heldBy: 'Vera Volunteer' }] });
    fake.adminThread.mockResolvedValue({
      messages: [{ id: 'm1', threadId: 't7', direction: 'in', body: 'START', status: 'received', createdAt: at }],
      contactDetails: [
        { key: 'zip', label: 'ZIP', value: '10001' },
        { key: 'dob', label: 'Dob', value: '1815-12-10' },
        { key: 'party', label: 'Party', value: 'Green' },
      ],
    });
    const { user } = renderApp('/c/c1/admin');
    const optIns = await screen.findByRole('region', { name: /^Opt-ins/ });
    await user.click(within(optIns).getByText('Read the conversation', { selector: 'summary' }));
    const list = await within(optIns).findByLabelText('Contact details of Ada Lovelace');
    expect(within(list).getAllByRole('term').map((t) => t.textContent)).toEqual(['ZIP', 'Dob', 'Party']);
    expect(within(list).getAllByRole('definition').map((d) => d.textContent)).toEqual(['10001', '1815-12-10', 'Green']);
  });

  it('a conversation whose contact has no column with a value shows no details', async () => {
    admin({ optIns: [{ id: 'oi8', contactPhone: '+15550004444', contactName: 'Sam Start', body: 'START', at, threadId: 't8', heldBy: 'Vera Volunteer' }] });
    fake.adminThread.mockResolvedValue({ messages: [{ id: 'm1', threadId: 't8', direction: 'in', body: 'START', status: 'received', createdAt: at }] });
    const { user } = renderApp('/c/c1/admin');
    const optIns = await screen.findByRole('region', { name: /^Opt-ins/ });
    await user.click(within(optIns).getByText('Read the conversation', { selector: 'summary' }));
    await within(optIns).findByRole('list', { name: 'Conversation with Sam Start' });
    expect(within(optIns).queryByLabelText('Contact details of Sam Start')).not.toBeInTheDocument();
  });

  it("an unroutable text's details show the whole text, who sent it, to which number and when; Escape closes them", async () => {
    const body = 'Is this still Vera?\nI moved and have a new polling place, where do I go on Tuesday morning before work?';
    admin({
      unroutable: [
        { id: 'u1', from: '+15550003333', fromDisplay: '(555) 000-3333', to: '+15559990000', toDisplay: '(555) 999-0000', body, at, contactName: 'Ada Lovelace', threadId: 't7', optedOut: false },
        { id: 'u2', from: '+15550005555', fromDisplay: '(555) 000-5555', to: '+15559990000', toDisplay: '(555) 999-0000', body: 'wrong number?', at, optedOut: false },
        { id: 'u3', from: '+15550006666', fromDisplay: '(555) 000-6666', to: '+15559990000', toDisplay: '(555) 999-0000', body: 'STOP', at, optedOut: true },
      ],
    });
    fake.adminThread.mockResolvedValue({
      messages: [{ id: 'm1', threadId: 't7', direction: 'out', body: 'Hi Ada', status: 'delivered', createdAt: at, sentByName: 'Vera Volunteer' }],
    });
    const { user } = renderApp('/c/c1/admin');
    const section = await screen.findByRole('region', { name: /^Unroutable texts/ });
    const show = await within(section).findByRole('button', { name: 'Show details of the text from Ada Lovelace ((555) 000-3333)' });
    show.focus();
    await user.keyboard('{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Text from Ada Lovelace' });
    expect(dialog).toHaveTextContent('From(555) 000-3333, Ada Lovelace, a contact of this campaign');
    expect(dialog).toHaveTextContent("To(555) 999-0000, one of this campaign's numbers");
    expect(within(dialog).getByText(/^Received/).nextElementSibling?.querySelector('time')).toHaveAttribute('dateTime', at);
    expect(dialog.querySelector('blockquote')?.textContent).toBe(body);
    expect(dialog).toHaveTextContent("Ada Lovelace's conversation in this campaign is on another number");
    await user.click(within(dialog).getByText('Read the conversation'));
    expect(await within(dialog).findByRole('list', { name: 'Conversation with Ada Lovelace' })).toHaveTextContent('Vera Volunteer: Hi Ada');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(document.activeElement).toBe(show);

    await user.click(within(section).getByRole('button', { name: 'Show details of the text from (555) 000-5555' }));
    const stranger = await screen.findByRole('dialog', { name: 'Text from (555) 000-5555' });
    expect(stranger).toHaveTextContent('From(555) 000-5555, with no conversation in this campaign');
    expect(stranger).toHaveTextContent('nobody in this campaign texted (555) 000-5555 from (555) 999-0000, so Textbank cannot reply to it.');
    // What the organizer can do about it, since the app cannot answer.
    expect(stranger).toHaveTextContent('If it needs an answer, call or text (555) 000-5555 from another phone, then mark it handled.');
    expect(within(stranger).queryByText('Read the conversation')).not.toBeInTheDocument();
    await user.click(within(stranger).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    // A STOP opted the number out as it came: no advice to text them from another phone.
    await user.click(within(section).getByRole('button', { name: 'Show details of the text from (555) 000-6666' }));
    const stop = await screen.findByRole('dialog', { name: 'Text from (555) 000-6666' });
    expect(stop).toHaveTextContent('It opted (555) 000-6666 out of your organization as it arrived, so it needs no answer');
    expect(stop).not.toHaveTextContent('from another phone');
  });
});
