import { screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus } from '../../test/fixtures';
import { renderApp } from '../../test/render';

const at = '2026-01-01T12:00:00Z';
const text = (n: number, direction: 'in' | 'out' = 'in') => ({
  id: `m${n}`,
  threadId: 't6',
  direction,
  body: `text ${n}`,
  status: direction === 'in' ? 'received' : 'delivered',
  createdAt: at,
  ...(direction === 'out' ? { sentBy: 'u2', sentByName: 'Vera Volunteer' } : {}),
});

function admin() {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
  fake.actions.mockResolvedValue([anAction()]);
  fake.adminOverview.mockResolvedValue({
    reassigned: [],
    abuseReports: [],
    unroutable: [],
    optIns: [{ id: 'oi6', contactPhone: '+15550004444', contactName: 'Sam Start', body: 'START', at, threadId: 't6', heldBy: 'Vera Volunteer' }],
  });
}

async function openConversation() {
  const r = renderApp('/c/c1/admin');
  const optIns = await screen.findByRole('region', { name: /^Opt-ins/ });
  await r.user.click(within(optIns).getByText('Read the conversation', { selector: 'summary' }));
  const list = await within(optIns).findByRole('list', { name: 'Conversation with Sam Start' });
  return { ...r, optIns, list };
}

const bodies = (list: HTMLElement) => within(list).getAllByRole('listitem').map((li) => li.textContent?.split(' · ')[0]);

// A long conversation's read ends at what one answer holds; the server says how many texts come before (earlier), and
// Show earlier texts brings them a page at a time, above the ones shown, until the first.
describe('Show earlier texts', () => {
  it('brings the earlier texts page by page, in order, then goes and leaves focus on the conversation', async () => {
    admin();
    fake.adminThread.mockResolvedValue({ messages: [text(5), text(6)], earlier: 4 });
    fake.adminEarlierTexts.mockImplementation((_c: string, _t: string, before: string) =>
      Promise.resolve(before === 'm5' ? { messages: [text(3), text(4)], earlier: 2 } : { messages: [text(1, 'out'), text(2)] }),
    );
    const { user, optIns, list } = await openConversation();
    expect(bodies(list)).toEqual(['Sam Start: text 5', 'Sam Start: text 6']);
    expect(within(optIns).getByText('4 earlier texts')).toBeInTheDocument();
    const show = within(optIns).getByRole('button', { name: 'Show earlier texts' });

    // By the keyboard: the button keeps focus while there are more.
    show.focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(bodies(list)).toEqual(['Sam Start: text 3', 'Sam Start: text 4', 'Sam Start: text 5', 'Sam Start: text 6']));
    expect(fake.adminEarlierTexts).toHaveBeenLastCalledWith('c1', 't6', 'm5');
    expect(within(optIns).getByText('2 earlier texts')).toBeInTheDocument();
    expect(show).toHaveFocus();

    await user.keyboard('{Enter}');
    await waitFor(() => expect(bodies(list)).toHaveLength(6));
    expect(fake.adminEarlierTexts).toHaveBeenLastCalledWith('c1', 't6', 'm3');
    expect(bodies(list)).toEqual([
      'Vera Volunteer: text 1',
      'Sam Start: text 2',
      'Sam Start: text 3',
      'Sam Start: text 4',
      'Sam Start: text 5',
      'Sam Start: text 6',
    ]);
    expect(within(optIns).queryByRole('button', { name: 'Show earlier texts' })).not.toBeInTheDocument();
    expect(list).toHaveFocus();
    expect(fake.adminEarlierTexts).toHaveBeenCalledTimes(2);
  });

  it('is not offered when the read holds the whole conversation', async () => {
    admin();
    fake.adminThread.mockResolvedValue({ messages: [text(1, 'out'), text(2)] });
    const { optIns, list } = await openConversation();
    expect(bodies(list)).toHaveLength(2);
    expect(within(optIns).queryByRole('button', { name: 'Show earlier texts' })).not.toBeInTheDocument();
    expect(fake.adminEarlierTexts).not.toHaveBeenCalled();
  });

  it('says why the earlier texts did not come, keeps those shown, and tries again', async () => {
    admin();
    fake.adminThread.mockResolvedValue({ messages: [text(2)], earlier: 1 });
    fake.adminEarlierTexts.mockRejectedValueOnce(new Error('The server could not be reached.'));
    const { user, optIns, list } = await openConversation();
    await user.click(within(optIns).getByRole('button', { name: 'Show earlier texts' }));
    expect(await within(optIns).findByRole('alert')).toHaveTextContent('The server could not be reached.');
    expect(bodies(list)).toEqual(['Sam Start: text 2']);

    fake.adminEarlierTexts.mockResolvedValue({ messages: [text(1, 'out')] });
    await user.click(within(optIns).getByRole('button', { name: 'Show earlier texts' }));
    await waitFor(() => expect(bodies(list)).toEqual(['Vera Volunteer: text 1', 'Sam Start: text 2']));
    expect(within(optIns).queryByRole('alert')).not.toBeInTheDocument();
  });
});
