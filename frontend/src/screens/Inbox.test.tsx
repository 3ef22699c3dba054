import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { InboxFilters, ThreadList } from './Inbox';
import * as fake from '../test/fakeBackend';
import { aSummary } from '../test/fixtures';

vi.mock('../backend', () => import('../test/fakeBackend'));

beforeEach(() => fake.resetBackend());

describe('InboxFilters', () => {
  it('shows every filter with its count, named by the filter first', () => {
    render(
      <InboxFilters
        counts={{ all: 12, unread: 3, needs_attention: 5, archive: 2, friends: 0, team: 1, canvassing: 0 }}
        filter="all"
        onSelect={vi.fn()}
      />,
    );
    for (const [name, n] of [
      ['All', 12], ['Unread', 3], ['Needs Attention', 5], ['Archive', 2], ['Friends', 0], ['Team', 1], ['Canvassing', 0],
    ] as const) {
      expect(screen.getByRole('button', { name: `${name} ${n}` })).toBeInTheDocument();
    }
    expect(screen.getByRole('button', { name: /^All\b/ })).toHaveAttribute('aria-pressed', 'true');
  });

  it('a missing count reads 0', () => {
    render(<InboxFilters counts={{}} filter="all" onSelect={vi.fn()} />);
    expect(screen.getByRole('button', { name: 'Unread 0' })).toBeInTheDocument();
  });

  it('clicking a filter selects it', async () => {
    const onSelect = vi.fn();
    render(<InboxFilters counts={{ unread: 3 }} filter="all" onSelect={onSelect} />);
    await userEvent.click(screen.getByRole('button', { name: /^Needs Attention\b/ }));
    expect(onSelect).toHaveBeenCalledWith('needs_attention');
  });
});

describe('ThreadList', () => {
  it('asks for the filter and campaign, and renders rows with name, preview, label and unread styling', async () => {
    fake.threads.mockResolvedValue([
      aSummary(1, { unread: true, lastMessage: 'Where do I vote?' }),
      aSummary(2, { actionType: 'friends' }),
    ]);
    render(<ThreadList filter="unread" campaignId="c1" refreshKey={0} onOpen={vi.fn()} />);
    const rows = await screen.findAllByTestId('thread-row');
    expect(fake.threads).toHaveBeenCalledWith('unread', 'c1', '', 0, 200);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Contact 1');
    expect(rows[0]).toHaveTextContent('Where do I vote?');
    expect(rows[0]).toHaveTextContent('Peer-to-Peer');
    expect(rows[0]).toHaveClass('unread');
    expect(rows[1]).toHaveTextContent('Friend-to-Friend');
    expect(rows[1]).not.toHaveClass('unread');
  });

  it('virtualises: only the rows in view are in the document', async () => {
    fake.threads.mockResolvedValue(Array.from({ length: 200 }, (_, i) => aSummary(i)));
    render(<ThreadList filter="all" campaignId="c1" refreshKey={0} onOpen={vi.fn()} />);
    const rows = await screen.findAllByTestId('thread-row');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(50);
  });

  it('opens the clicked thread', async () => {
    fake.threads.mockResolvedValue([aSummary(1), aSummary(2)]);
    const onOpen = vi.fn();
    render(<ThreadList filter="all" campaignId="c1" refreshKey={0} onOpen={onOpen} />);
    await userEvent.click((await screen.findAllByTestId('thread-row'))[1]);
    expect(onOpen).toHaveBeenCalledWith('t2');
  });

  it('searches by name or number', async () => {
    fake.threads.mockResolvedValue([]);
    render(<ThreadList filter="all" campaignId="c1" refreshKey={0} onOpen={vi.fn()} />);
    await userEvent.type(screen.getByLabelText('Search by name or number'), '5551');
    await waitFor(() => expect(fake.threads).toHaveBeenLastCalledWith('all', 'c1', '5551', 0, 200));
    expect(await screen.findByText('No conversation matches "5551".')).toBeInTheDocument();
  });

  it('refetches when the refresh key changes', async () => {
    fake.threads.mockResolvedValue([aSummary(1)]);
    const { rerender } = render(<ThreadList filter="all" campaignId="c1" refreshKey={0} onOpen={vi.fn()} />);
    await screen.findByText('Contact 1');
    fake.threads.mockResolvedValue([aSummary(1), aSummary(9, { lastMessage: 'New reply' })]);
    rerender(<ThreadList filter="all" campaignId="c1" refreshKey={1} onOpen={vi.fn()} />);
    expect(await screen.findByText('New reply')).toBeInTheDocument();
  });

  it('shows a load error', async () => {
    fake.threads.mockRejectedValue('the local cache could not be read');
    render(<ThreadList filter="all" campaignId="c1" refreshKey={0} onOpen={vi.fn()} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('the local cache could not be read');
  });
});
