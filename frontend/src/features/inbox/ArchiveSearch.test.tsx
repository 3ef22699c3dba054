import { act, screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, aStatus, aSummary, aThreadView, anAction } from '../../test/fixtures';
import { renderApp } from '../../test/render';

// Archiving the open conversation takes its row out of the list and keeps it open, search or
// not; a search that listed it alone then says where it went, not that nothing matches.
describe('archiving the open conversation found by a search', () => {
  function setup(path: string) {
    fake.status.mockResolvedValue(aStatus());
    fake.campaigns.mockResolvedValue([aCampaign()]);
    fake.actions.mockResolvedValue([anAction()]);
    fake.counts.mockResolvedValue({ all: 1, unread: 0 });
    fake.threads.mockResolvedValue([aSummary(1, { contactName: 'Ada Lovelace' })]);
    fake.thread.mockResolvedValue(aThreadView());
    return renderApp(path);
  }
  const archivedView = () => {
    const v = aThreadView({ archived: true, archivedReason: 'user' });
    v.thread.archived = true;
    v.thread.archivedReason = 'user';
    return v;
  };
  const list = () => screen.getByRole('region', { name: 'Conversations' });

  it('says the one match is archived now, and offers the Archive', async () => {
    const { user, router } = setup('/c/c1/thread/t1?q=Ada');
    await screen.findByRole('heading', { name: 'Ada Lovelace' });
    await within(list()).findByTestId('thread-row');
    fake.thread.mockResolvedValue(archivedView());
    fake.threads.mockResolvedValue([]);
    await user.click(screen.getByRole('button', { name: 'Archive' }));
    expect(await within(list()).findByText(/The only conversation matching "Ada" is archived now\./)).toBeInTheDocument();
    expect(within(list()).queryByText(/No conversation matches/)).not.toBeInTheDocument();
    // The conversation stays open, archived, as without a search.
    expect(await screen.findByText(/Archived by you/)).toBeInTheDocument();
    // A refetch of the list (the Go side's inbox:changed) keeps the words.
    act(() => fake.emit('inbox:changed', { threadIds: ['t1'] }));
    await waitFor(() => expect(fake.threads.mock.calls.length).toBeGreaterThan(1));
    expect(within(list()).getByText(/is archived now/)).toBeInTheDocument();
    await user.click(within(list()).getByRole('button', { name: 'Search the Archive' }));
    expect(router.state.location.search).toBe('?q=Ada&filter=archive');
  });

  it('a new search that finds nothing says so as before', async () => {
    const { user } = setup('/c/c1/thread/t1?q=Ada');
    await screen.findByRole('region', { name: 'Conversations' });
    await within(list()).findByTestId('thread-row');
    fake.thread.mockResolvedValue(archivedView());
    fake.threads.mockResolvedValue([]);
    await user.click(screen.getByRole('button', { name: 'Archive' }));
    await within(list()).findByText(/is archived now/);
    const search = screen.getByRole('searchbox');
    await user.clear(search);
    await user.type(search, 'Bob');
    expect(await within(list()).findByText('No conversation matches "Bob".', { exact: false })).toBeInTheDocument();
  });

  it('in the Archive, unarchiving the one match says it is unarchived now', async () => {
    const { user } = setup('/c/c1/thread/t1?filter=archive&q=Ada');
    fake.thread.mockResolvedValue(archivedView());
    fake.threads.mockResolvedValue([aSummary(1, { contactName: 'Ada Lovelace', archived: true, filters: ['archive'] })]);
    await screen.findByRole('region', { name: 'Conversations' });
    await within(list()).findByTestId('thread-row');
    await screen.findByRole('button', { name: 'Unarchive' });
    fake.thread.mockResolvedValue(aThreadView());
    fake.threads.mockResolvedValue([]);
    await user.click(screen.getByRole('button', { name: 'Unarchive' }));
    expect(
      await within(list()).findByText('The only conversation in Archive matching "Ada" is unarchived now.'),
    ).toBeInTheDocument();
  });

  it('a filtered search that no longer lists the open conversation offers All, where it still is', async () => {
    // Opted out from its suggested opt-out (or answered), the conversation leaves Needs Attention
    // while open: the Archive alone, where it is not, was all the empty list offered.
    const { user, router } = setup('/c/c1/thread/t1?filter=needs_attention&q=Ada');
    await screen.findByRole('region', { name: 'Conversations' });
    await within(list()).findByTestId('thread-row');
    fake.threads.mockResolvedValue([]);
    act(() => fake.emit('inbox:changed', { threadIds: ['t1'] }));
    expect(await within(list()).findByText(/No conversation in Needs Attention matches "Ada"\./)).toBeInTheDocument();
    expect(within(list()).getByRole('button', { name: 'Search the Archive' })).toBeInTheDocument();
    fake.threads.mockResolvedValue([aSummary(1, { contactName: 'Ada Lovelace' })]);
    await user.click(within(list()).getByRole('button', { name: 'Search All' }));
    expect(router.state.location.search).toBe('?q=Ada');
    expect(await within(list()).findByTestId('thread-row')).toHaveTextContent('Ada Lovelace');
  });

  it('All and the Archive offer no Search All', async () => {
    fake.threads.mockResolvedValue([]);
    setup('/c/c1?q=Bob');
    fake.threads.mockResolvedValue([]);
    await screen.findByRole('region', { name: 'Conversations' });
    expect(await within(list()).findByText(/No conversation matches "Bob"\./)).toBeInTheDocument();
    expect(within(list()).queryByRole('button', { name: 'Search All' })).not.toBeInTheDocument();
  });
});
