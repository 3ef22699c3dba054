import { act, screen, waitFor, within } from '@testing-library/react';
import { ThreadList } from './ThreadList';
import { pageSize } from './hooks';
import * as fake from '../../test/fakeBackend';
import { aCampaign, aSummary, deferred } from '../../test/fixtures';
import { renderScreen } from '../../test/render';
import { applyInboxChange } from '../../lib/useBackendEvents';

function setup(path = '/c/c1') {
  return renderScreen(<ThreadList />, { pattern: '/c/:campaignId/*', path });
}

describe('ThreadList', () => {
  it('asks for the filter and campaign in the URL, and shows type, contact, last message and marks', async () => {
    fake.threads.mockResolvedValue([
      aSummary(1, { unread: true, needsAttention: true, unanswered: true, lastMessage: 'Where do I vote?' }),
      // Without a name: the Go side names the contact by their number's display form.
      aSummary(2, { actionType: 'friends', contactName: '(555) 100-0002' }),
    ]);
    setup('/c/c1?filter=unread');
    const rows = await screen.findAllByTestId('thread-row');
    expect(fake.threads).toHaveBeenCalledWith('unread', 'c1', '', 0, pageSize);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Contact 1');
    expect(rows[0]).toHaveTextContent('Where do I vote?');
    expect(rows[0]).toHaveTextContent('Peer-to-Peer');
    expect(rows[0]).toHaveTextContent('Needs attention');
    expect(rows[0]).toHaveTextContent(', unread');
    expect(rows[0]).toHaveClass('unread');
    expect(within(rows[0]).getByRole('button', { name: /^Contact 1/ }).querySelector('time')).toHaveTextContent(/\S/);
    // A contact without a name is shown by number, as people write it (the search takes that form too).
    expect(rows[1]).toHaveTextContent('(555) 100-0002');
    expect(rows[1]).not.toHaveTextContent('+15551000002');
    expect(rows[1]).toHaveTextContent('Friend-to-friend');
    expect(rows[1]).not.toHaveClass('unread');
  });

  it('tells the Go side it is ready once, after the first list is on screen, not before', async () => {
    const first = deferred<ReturnType<typeof aSummary>[]>();
    fake.threads.mockReturnValueOnce(first.promise).mockResolvedValue([aSummary(3)]);
    const { user } = setup();
    await act(async () => {});
    expect(fake.ready).not.toHaveBeenCalled();
    await act(async () => first.resolve([aSummary(1), aSummary(2)]));
    await screen.findAllByTestId('thread-row');
    await waitFor(() => expect(fake.ready).toHaveBeenCalledTimes(1));
    expect(fake.ready).toHaveBeenCalledWith(2, expect.any(Number), expect.any(Number));
    // A search's list later is not a new start.
    await user.type(screen.getByRole('searchbox'), 'x');
    await waitFor(() => expect(fake.threads).toHaveBeenCalledTimes(2));
    expect(fake.ready).toHaveBeenCalledTimes(1);
  });

  it('a reply shows in its row from the event alone, with no list or count refetch', async () => {
    const at = (h: number) => new Date(Date.UTC(2026, 0, 1, h)).toISOString();
    fake.threads.mockResolvedValue([aSummary(1, { lastMessageAt: at(10) }), aSummary(2, { lastMessageAt: at(9) })]);
    const { queryClient } = setup();
    await screen.findAllByTestId('thread-row');
    const calls = fake.threads.mock.calls.length;
    const countCalls = fake.counts.mock.calls.length;
    const replied = aSummary(2, { lastMessageAt: at(11), lastMessage: 'See you there', unread: true, filters: ['all', 'unread'] });
    // What useBackendEvents does with the Go side's inbox:changed.
    act(() => applyInboxChange(queryClient, { threadIds: ['t2'], threads: [replied], counts: { c1: { all: 2, unread: 1 } } }));
    await waitFor(() => expect(screen.getAllByTestId('thread-row')[0]).toHaveTextContent('See you there'));
    expect(screen.getAllByTestId('thread-row')[1]).toHaveTextContent('Contact 1');
    expect(fake.threads.mock.calls.length).toBe(calls);
    expect(fake.counts.mock.calls.length).toBe(countCalls);
  });

  it('a reply arriving while the pointer is over the list moves no row under it: the click opens the row aimed at', async () => {
    const at = (h: number) => new Date(Date.UTC(2026, 0, 1, h)).toISOString();
    fake.threads.mockResolvedValue([aSummary(1, { lastMessageAt: at(10) }), aSummary(2, { lastMessageAt: at(9) }), aSummary(3, { lastMessageAt: at(8) })]);
    const { queryClient, user, router } = setup();
    const first = within((await screen.findAllByTestId('thread-row'))[0]).getByRole('button', { name: /^Contact 1/ });
    await user.hover(first);
    const replied = aSummary(3, { lastMessageAt: at(11), lastMessage: 'See you there', unread: true, filters: ['all', 'unread'] });
    act(() => applyInboxChange(queryClient, { threadIds: ['t3'], threads: [replied], counts: { c1: { all: 3, unread: 1 } } }));
    // The reply shows in its row, which stays where it was; the volunteer sees it there, so nothing is counted as new.
    await waitFor(() => expect(screen.getAllByTestId('thread-row')[2]).toHaveTextContent('See you there'));
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
    expect(screen.getAllByTestId('thread-row').map((r) => r.dataset.threadId)).toEqual(['t1', 't2', 't3']);
    await user.click(within(screen.getAllByTestId('thread-row')[0]).getByRole('button', { name: /^Contact/ }));
    expect(router.state.location.pathname).toBe('/c/c1/thread/t1');
    // Once the pointer leaves, the list takes its order.
    await user.unhover(screen.getAllByTestId('thread-row')[0]);
    await waitFor(() => expect(screen.getAllByTestId('thread-row').map((r) => r.dataset.threadId)).toEqual(['t3', 't1', 't2']));
  });

  it('while the pointer is over the list, conversations not in it wait above, counted in a quiet note', async () => {
    const at = (h: number) => new Date(Date.UTC(2026, 0, 1, h)).toISOString();
    fake.threads.mockResolvedValue([aSummary(1, { lastMessageAt: at(10) }), aSummary(2, { lastMessageAt: at(9) })]);
    const { queryClient, user } = setup();
    await user.hover(within((await screen.findAllByTestId('thread-row'))[0]).getByRole('button', { name: /^Contact 1/ }));
    // The live region is there, empty, before anything waits: many screen readers say nothing of a
    // region that comes with its words, only of words changing in one already there.
    const note = screen.getByRole('status');
    expect(note).toBeEmptyDOMElement();
    const changes: MutationRecord[] = [];
    const watch = new MutationObserver((records) => changes.push(...records));
    watch.observe(note, { childList: true, subtree: true, characterData: true });
    // A listed row's reply (shown in its row) and two conversations the list did not have.
    const change = [2, 3, 4].map((n) => aSummary(n, { lastMessageAt: at(10 + n), lastMessage: `Reply ${n}`, unread: true, filters: ['all', 'unread'] }));
    act(() => applyInboxChange(queryClient, { threadIds: ['t2', 't3', 't4'], threads: change, counts: { c1: { all: 4, unread: 3 } } }));
    await waitFor(() => expect(note).toHaveTextContent(/^2 new above: move the pointer away$/));
    expect(screen.getByRole('status')).toBe(note);
    expect(screen.getAllByTestId('thread-row').map((r) => r.dataset.threadId)).toEqual(['t1', 't2']);
    // Another reply to one that waits re-renders the list but leaves the count, and the region's words, as they were: nothing is said again.
    await act(async () => {});
    changes.length = 0;
    act(() => applyInboxChange(queryClient, { threadIds: ['t4'], threads: [aSummary(4, { lastMessageAt: at(15), lastMessage: 'Again', unread: true, filters: ['all', 'unread'] })], counts: { c1: { all: 4, unread: 3 } } }));
    await act(async () => {});
    expect(note).toHaveTextContent(/^2 new above: move the pointer away$/);
    expect(changes).toEqual([]);
    await user.unhover(screen.getAllByTestId('thread-row')[0]);
    await waitFor(() => expect(screen.getAllByTestId('thread-row').map((r) => r.dataset.threadId)).toEqual(['t4', 't3', 't2', 't1']));
    expect(note).toBeEmptyDOMElement();
    watch.disconnect();
  });

  it('virtualises: only the rows in view are in the document', async () => {
    fake.threads.mockResolvedValue(Array.from({ length: 200 }, (_, i) => aSummary(i)));
    setup();
    const rows = await screen.findAllByTestId('thread-row');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(50);
  });

  it('opens the clicked thread, keeping the filter', async () => {
    fake.threads.mockResolvedValue([aSummary(1), aSummary(2)]);
    const { user, router } = setup('/c/c1?filter=team');
    await user.click(within((await screen.findAllByTestId('thread-row'))[1]).getByRole('button', { name: /^Contact 2/ }));
    expect(router.state.location.pathname).toBe('/c/c1/thread/t2');
    expect(router.state.location.search).toBe('?filter=team');
  });

  // The first conversation opened after launch took 420 ms: its read starts as the row is pressed,
  // and runs while the button is held.
  it('starts reading a conversation when its row is pressed, before the click', async () => {
    fake.threads.mockResolvedValue([aSummary(1), aSummary(2)]);
    const { user, router } = setup();
    const row = within((await screen.findAllByTestId('thread-row'))[1]).getByRole('button', { name: /^Contact 2/ });
    const reads = fake.thread.mock.calls.length;
    await user.pointer({ keys: '[MouseLeft>]', target: row });
    expect(fake.thread.mock.calls.slice(reads)).toEqual([['t2']]);
    expect(router.state.location.pathname).toBe('/c/c1');
    await user.pointer({ keys: '[/MouseLeft]', target: row });
    expect(router.state.location.pathname).toBe('/c/c1/thread/t2');
  });

  it('searches by name or number within the filter', async () => {
    fake.threads.mockResolvedValue([]);
    const { user, router } = setup('/c/c1?filter=friends');
    await user.type(screen.getByLabelText('Search by name or number'), 'love');
    await waitFor(() => expect(fake.threads).toHaveBeenLastCalledWith('friends', 'c1', 'love', 0, pageSize));
    expect(await screen.findByText('No conversation in Friends matches "love".')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?filter=friends&q=love');
  });

  it('says what a search found: the rows change under the search box unheard', async () => {
    fake.threads.mockResolvedValue([aSummary(1), aSummary(2), aSummary(3)]);
    const { user } = setup();
    await screen.findAllByTestId('thread-row');
    const said = screen.getByTestId('search-announcement');
    expect(said).toHaveAttribute('aria-live', 'polite');
    expect(said).toBeEmptyDOMElement();
    fake.threads.mockResolvedValue([aSummary(2)]);
    await user.type(screen.getByRole('searchbox', { name: 'Search by name or number' }), 'Contact 2');
    await waitFor(() => expect(said).toHaveTextContent('1 conversation found'));
    fake.threads.mockResolvedValue([]);
    await user.type(screen.getByRole('searchbox', { name: 'Search by name or number' }), '9');
    await waitFor(() => expect(said).toHaveTextContent('0 conversations found'));
    await user.clear(screen.getByRole('searchbox', { name: 'Search by name or number' }));
    await waitFor(() => expect(said).toBeEmptyDOMElement());
  });

  it('a search that finds nothing outside the Archive offers to search the Archive, keeping the words', async () => {
    fake.threads.mockResolvedValue([]);
    const { user, router } = setup('/c/c1?q=Ken');
    expect(await screen.findByText('No conversation matches "Ken".')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Search the Archive' }));
    expect(router.state.location.search).toBe('?q=Ken&filter=archive');
    await waitFor(() => expect(fake.threads).toHaveBeenLastCalledWith('archive', 'c1', 'Ken', 0, pageSize));
    expect(await screen.findByText('No conversation in Archive matches "Ken".')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Search the Archive' })).not.toBeInTheDocument();
  });

  it('an empty list says why it is empty, and to a new volunteer where to start', async () => {
    fake.threads.mockResolvedValue([]);
    setup('/c/c1');
    expect(await screen.findByText(/No conversations yet\. Pick an action under Actions and press Start/)).toBeInTheDocument();
  });

  it('an admin’s empty inbox says reassigned conversations arrive there', async () => {
    fake.threads.mockResolvedValue([]);
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
    setup('/c/c1');
    expect(await screen.findByText(/Conversations volunteers reassign to you show up here/)).toBeInTheDocument();
  });

  it('an empty filter says which filter is empty', async () => {
    fake.threads.mockResolvedValue([]);
    setup('/c/c1?filter=needs_attention');
    expect(await screen.findByText('Nothing needs attention: every reply has an answer and a report.')).toBeInTheDocument();
  });

  it('Archive on a row archives it and takes it out of the list at once', async () => {
    const pending = deferred<void>();
    fake.archive.mockReturnValue(pending.promise);
    fake.threads.mockResolvedValue([aSummary(1), aSummary(2)]);
    const { user } = setup();
    const row = (await screen.findAllByTestId('thread-row'))[0];
    await user.click(within(row).getByRole('button', { name: 'Archive Contact 1' }));
    expect(fake.archive).toHaveBeenCalledWith('t1', true);
    expect(screen.queryByText('Contact 1')).not.toBeInTheDocument();
    expect(screen.getByText('Contact 2')).toBeInTheDocument();
    // Said once done (focus moves on to the next row, which is what a screen reader reads then).
    expect(screen.getByTestId('row-archive-announcement')).toHaveTextContent('');
    await act(async () => pending.resolve());
    await waitFor(() => expect(screen.getByTestId('row-archive-announcement')).toHaveTextContent('Archived Contact 1'));
  });

  it('E on a focused row archives it', async () => {
    fake.threads.mockResolvedValue([aSummary(1), aSummary(2)]);
    const { user } = setup();
    const open = within((await screen.findAllByTestId('thread-row'))[1]).getByRole('button', { name: /^Contact 2/ });
    act(() => open.focus());
    await user.keyboard('e');
    expect(fake.archive).toHaveBeenCalledWith('t2', true);
  });

  it('a refused archive puts the row back and says why', async () => {
    fake.archive.mockRejectedValue('the local cache could not be written');
    fake.threads.mockResolvedValue([aSummary(1)]);
    const { user } = setup();
    await user.click(within(await screen.findByTestId('thread-row')).getByRole('button', { name: 'Archive Contact 1' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The local cache could not be written.');
    expect(screen.getByText('Contact 1')).toBeInTheDocument();
  });

  it.each([
    ['user', 'Archived by you'],
    ['report', 'Archived after report'],
    ['inactive', 'Archived: no activity in 2 months'],
  ])('in the Archive, a row archived for %s says "%s" and offers Unarchive', async (reason, words) => {
    fake.threads.mockResolvedValue([aSummary(1, { archived: true, archivedReason: reason })]);
    const { user } = setup('/c/c1?filter=archive');
    const row = await screen.findByTestId('thread-row');
    expect(row).toHaveTextContent(words);
    await user.click(within(row).getByRole('button', { name: 'Unarchive Contact 1' }));
    expect(fake.archive).toHaveBeenCalledWith('t1', false);
    expect(screen.queryByTestId('thread-row')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('row-archive-announcement')).toHaveTextContent('Moved Contact 1 back to the inbox'));
  });

  it('a conversation handed to the user says who reassigned it; others say nothing of it', async () => {
    fake.threads.mockResolvedValue([aSummary(1, { reassignedFrom: 'Vera Volunteer' }), aSummary(2)]);
    setup();
    const rows = await screen.findAllByTestId('thread-row');
    expect(within(rows[0]).getByRole('button', { name: /^Contact 1/ })).toHaveTextContent('Reassigned by Vera Volunteer');
    expect(rows[1]).not.toHaveTextContent('Reassigned');
  });

  it('an archived row wears no Needs attention badge: the Needs Attention filter leaves it out until a reply', async () => {
    fake.threads.mockResolvedValue([aSummary(1, { archived: true, archivedReason: 'user', needsAttention: true })]);
    setup('/c/c1?filter=archive');
    const row = await screen.findByTestId('thread-row');
    expect(row).toHaveTextContent('Archived by you');
    expect(row).not.toHaveTextContent('Needs');
  });

  it('the Needs Attention badge says a report is missing once answered; unanswered, it asks for attention, not a reply (it may be an opt-out)', async () => {
    fake.threads.mockResolvedValue([
      aSummary(1, { needsAttention: true, lastFromUs: false, unanswered: true, lastMessage: 'Where do I vote?' }),
      aSummary(2, { needsAttention: true, lastFromUs: true, lastMessage: 'At the library.' }),
      aSummary(3, { needsAttention: false, lastFromUs: true }),
      // Our text is the last, but was written (offline) before the contact's reply came: no answer to it.
      aSummary(4, { needsAttention: true, lastFromUs: true, unanswered: true, lastMessage: 'Thanks for your time!' }),
    ]);
    setup();
    const rows = await screen.findAllByTestId('thread-row');
    expect(rows[0]).toHaveTextContent('Needs attention');
    expect(rows[0]).not.toHaveTextContent('Needs a reply');
    expect(rows[1]).toHaveTextContent('Needs a report');
    expect(rows[1]).not.toHaveTextContent('Needs attention');
    expect(rows[2]).not.toHaveTextContent('Needs');
    expect(rows[3]).toHaveTextContent('Needs attention');
    expect(rows[3]).not.toHaveTextContent('Needs a report');
  });

  it('a row whose reply reads like a request to stop says "May be an opt-out" until a report decides it, answered or not', async () => {
    fake.threads.mockResolvedValue([
      aSummary(1, { needsAttention: true, optOutUndecided: true, lastMessage: 'please stop texting me' }),
      aSummary(2, { needsAttention: true, optOutUndecided: true, lastFromUs: true, lastMessage: 'Sorry to bother you!' }),
      aSummary(3, { needsAttention: true, lastMessage: 'Where do I vote?' }),
    ]);
    setup();
    const rows = await screen.findAllByTestId('thread-row');
    expect(rows[0]).toHaveTextContent('May be an opt-out');
    expect(rows[0]).not.toHaveTextContent('Needs');
    expect(rows[1]).toHaveTextContent('May be an opt-out');
    expect(rows[1]).not.toHaveTextContent('Needs a report');
    expect(rows[2]).not.toHaveTextContent('May be an opt-out');
  });

  it('a row whose last message we sent says so ("You:"); one the contact answered does not', async () => {
    fake.threads.mockResolvedValue([
      aSummary(1, { lastFromUs: true, lastMessage: 'Polls are open 7am to 8pm.' }),
      aSummary(2, { lastMessage: 'Where do I vote?' }),
    ]);
    setup();
    const rows = await screen.findAllByTestId('thread-row');
    expect(rows[0]).toHaveTextContent('You: Polls are open 7am to 8pm.');
    expect(rows[1]).toHaveTextContent('Where do I vote?');
    expect(rows[1]).not.toHaveTextContent('You:');
  });

  it('shows a load error', async () => {
    fake.threads.mockRejectedValue('the local cache could not be read');
    setup();
    expect(await screen.findByRole('alert')).toHaveTextContent('The local cache could not be read.');
  });
});
