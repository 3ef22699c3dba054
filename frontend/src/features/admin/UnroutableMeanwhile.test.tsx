import { act, screen, waitFor, within } from '@testing-library/react';
import type { UnroutableText } from '../../backend';
import { keys } from '../../lib/queryKeys';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus } from '../../test/fixtures';
import { renderApp } from '../../test/render';

const at = '2026-01-01T12:00:00Z';
const later = '2026-01-02T09:30:00Z';
const ada: UnroutableText = { id: 'u1', from: '+15550003333', fromDisplay: '(555) 000-3333', to: '+15559990000', toDisplay: '(555) 999-0000', body: 'Is this still Vera?', at: later, contactName: 'Ada Lovelace', threadId: 't7', optedOut: false };
const stranger: UnroutableText = { id: 'u2', from: '+15550005555', fromDisplay: '(555) 000-5555', to: '+15559990000', toDisplay: '(555) 999-0000', body: 'wrong number?', at, optedOut: false };

function serverNow(unroutable: UnroutableText[], unroutableHandled: number) {
  fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], optIns: [], unroutable, unroutableHandled });
}

function admin(unroutable: UnroutableText[], unroutableHandled = 0) {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
  fake.actions.mockResolvedValue([anAction()]);
  serverNow(unroutable, unroutableHandled);
}

/** The organizer opens the stranger's text; it is the first of two (ada's comes after it once the list shifts). */
async function openStranger() {
  admin([stranger, ada]);
  const r = renderApp('/c/c1/admin');
  const list = await r.findByRole('region', { name: /^Unroutable texts/ });
  await r.user.click(await within(list).findByRole('button', { name: 'Show details of the text from (555) 000-5555' }));
  const dialog = await screen.findByRole('dialog', { name: 'Text from (555) 000-5555' });
  return { ...r, list, dialog };
}

// Another admin, or textbankd's command line, marks the text handled while
// its details are open: the half-minute refresh drops its row, and the
// dialog stays, saying so, instead of vanishing without a word.
describe('An unroutable text marked handled while its details are open', () => {
  it('stays open and says who marked it; closing it puts focus on the section heading', async () => {
    const { list, dialog, user, queryClient } = await openStranger();
    expect(within(dialog).getByRole('status')).toBeEmptyDOMElement();
    serverNow([ada], 1);
    fake.handledUnroutable.mockResolvedValue([{ ...stranger, handledAt: later, handledBy: 'Olive Organizer' }]);
    await queryClient.refetchQueries({ queryKey: keys.admin('c1') }); // the 30-second refresh
    await waitFor(() => expect(within(list).getByRole('heading', { name: 'Unroutable texts (1)' })).toBeInTheDocument());
    expect(within(list).queryByText('“wrong number?”')).not.toBeInTheDocument();

    expect(screen.getByRole('dialog', { name: 'Text from (555) 000-5555' })).toBe(dialog);
    await waitFor(() =>
      expect(within(dialog).getByRole('status')).toHaveTextContent(
        'This text was marked handled meanwhile by Olive Organizer. It is no longer among the open texts.',
      ),
    );
    expect(fake.handledUnroutable).toHaveBeenCalledWith('c1');
    expect(dialog).toHaveTextContent('wrong number?'); // still the stranger's text, not the row that took its place
    expect(dialog).toHaveTextContent('HandledBy Olive Organizer');
    expect(within(dialog).getByRole('button', { name: 'Open Again: the text from (555) 000-5555' })).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(within(list).getByRole('heading', { name: 'Unroutable texts (1)' })).toHaveFocus());
  });

  it('shows the change when the server says the section changed, not at the half-minute refresh', async () => {
    const { list, dialog } = await openStranger();
    serverNow([ada], 1);
    fake.handledUnroutable.mockResolvedValue([{ ...stranger, handledAt: later, handledFromCommandLine: true }]);
    const before = fake.adminOverview.mock.calls.length;
    act(() => fake.emit('admin:changed', { campaignId: 'c2' })); // another campaign's section: nothing to read here
    act(() => fake.emit('admin:changed', { campaignId: 'c1' }));
    await waitFor(() => expect(within(list).getByRole('heading', { name: 'Unroutable texts (1)' })).toBeInTheDocument());
    expect(fake.adminOverview.mock.calls.slice(before)).toEqual([['c1']]);
    await waitFor(() =>
      expect(within(dialog).getByRole('status')).toHaveTextContent(
        'This text was marked handled meanwhile, from the command line. It is no longer among the open texts.',
      ),
    );
  });

  it('says "from the command line" for textbankd unroutable handle', async () => {
    const { dialog, queryClient } = await openStranger();
    serverNow([ada], 1);
    fake.handledUnroutable.mockResolvedValue([{ ...stranger, handledAt: later, handledFromCommandLine: true }]);
    await queryClient.refetchQueries({ queryKey: keys.admin('c1') });
    await waitFor(() =>
      expect(within(dialog).getByRole('status')).toHaveTextContent(
        'This text was marked handled meanwhile, from the command line. It is no longer among the open texts.',
      ),
    );
    expect(dialog).toHaveTextContent('HandledFrom the command line');
  });

  it('says "by another admin" while who is not known, without a Mark button that might go the wrong way', async () => {
    const { dialog, queryClient } = await openStranger();
    serverNow([ada], 1);
    fake.handledUnroutable.mockResolvedValue([]); // beyond the handled list's length, or not read yet
    await queryClient.refetchQueries({ queryKey: keys.admin('c1') });
    await waitFor(() =>
      expect(within(dialog).getByRole('status')).toHaveTextContent('This text was marked handled meanwhile by another admin.'),
    );
    expect(within(dialog).queryByRole('button', { name: /^Mark/ })).not.toBeInTheDocument();
  });

  it('a refresh that still lists the text changes nothing', async () => {
    const { dialog, queryClient } = await openStranger();
    serverNow([stranger], 0);
    await queryClient.refetchQueries({ queryKey: keys.admin('c1') });
    expect(within(dialog).getByRole('status')).toBeEmptyDOMElement();
    expect(fake.handledUnroutable).not.toHaveBeenCalled();
    expect(within(dialog).getByRole('button', { name: 'Mark Handled: the text from (555) 000-5555' })).toBeInTheDocument();
  });
});

// The count of hidden handled texts after one's own marking is the app's
// guess (+1) until the overview is read again: then the server's.
it('the hidden count after marking is corrected by the refetch', async () => {
  admin([stranger, ada], 2);
  fake.setUnroutableHandled.mockImplementation(async () => {
    serverNow([ada], 5); // two more were marked elsewhere meanwhile
    return { ...stranger, handledAt: later, handledBy: 'Olive Organizer' };
  });
  const { user, findByRole } = renderApp('/c/c1/admin');
  const list = await findByRole('region', { name: /^Unroutable texts/ });
  expect(await within(list).findByText('2 handled texts are hidden.')).toBeInTheDocument();
  await user.click(within(list).getByRole('button', { name: 'Mark Handled: the text from (555) 000-5555' }));
  expect(await within(list).findByText('5 handled texts are hidden.')).toBeInTheDocument();
});

// textbankd unroutable handle records no admin: the row says where it was marked.
it('a text marked from the command line reads "Handled from the command line" under Show handled', async () => {
  admin([], 1);
  fake.handledUnroutable.mockResolvedValue([{ ...stranger, handledAt: later, handledFromCommandLine: true }]);
  const { user, findByRole } = renderApp('/c/c1/admin');
  const list = await findByRole('region', { name: /^Unroutable texts/ });
  await user.click(await within(list).findByRole('button', { name: 'Show handled' }));
  const handled = await within(list).findByRole('list', { name: 'Handled unroutable texts' });
  expect(handled).toHaveTextContent('Handled from the command line');
  expect(handled).not.toHaveTextContent('Handled by');
});

// The overview lists the newest 200 open texts. One more arriving pushes
// the oldest out of the list: nobody marked it, so its open details say
// nothing happened and still offer Mark Handled, and the heading counts
// every open text, saying the older ones are not shown.
describe('An open text pushed past the newest 200 while its details are open', () => {
  const text = (i: number): UnroutableText => ({
    id: `u${i}`, from: `+1555000${String(i).padStart(4, '0')}`, fromDisplay: `(555) 000-${String(i).padStart(4, '0')}`,
    to: '+15559990000', toDisplay: '(555) 999-0000', body: `text ${i}`, at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    optedOut: false,
  });
  const newest = (n: number) => Array.from({ length: 200 }, (_, k) => text(n - k)); // newest first

  it('is not "handled meanwhile", and the heading counts all the open texts', async () => {
    admin([]);
    fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], optIns: [], unroutable: newest(200), unroutableHandled: 0, unroutableOpen: 200 });
    fake.handledUnroutable.mockResolvedValue([]);
    const { user, findByRole, queryClient } = renderApp('/c/c1/admin');
    const list = await findByRole('region', { name: /^Unroutable texts/ });
    expect(within(list).getByRole('heading', { level: 2 })).toHaveTextContent('Unroutable texts (200)');
    expect(within(list).queryByText(/Showing the newest/)).not.toBeInTheDocument();
    await user.click(await within(list).findByRole('button', { name: 'Show details of the text from (555) 000-0001' }));
    const dialog = await screen.findByRole('dialog', { name: 'Text from (555) 000-0001' });
    fake.adminOverview.mockResolvedValue({ reassigned: [], abuseReports: [], optIns: [], unroutable: newest(201), unroutableHandled: 0, unroutableOpen: 201 });
    await act(() => queryClient.refetchQueries({ queryKey: keys.admin('c1') }));
    await waitFor(() => expect(within(list).getByRole('heading', { level: 2 })).toHaveTextContent('Unroutable texts (201)'));
    expect(within(list).getByText('Showing the newest 200 of 201. Older ones show here as these are marked handled.')).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Admin sections' })).toHaveTextContent('Unroutable texts (201)');
    expect(within(dialog).getByRole('status')).toBeEmptyDOMElement();
    expect(within(dialog).getByRole('button', { name: /^Mark Handled/ })).toBeInTheDocument();
  });
});
