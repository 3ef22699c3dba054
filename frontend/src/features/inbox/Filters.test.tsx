import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Filters } from './Filters';
import * as fake from '../../test/fakeBackend';
import { renderApp } from '../../test/render';

describe('Filters', () => {
  it('shows every filter with its count, named by the filter first', () => {
    render(
      <Filters
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
    render(<Filters counts={{}} filter="all" onSelect={vi.fn()} />);
    expect(screen.getByRole('button', { name: 'Unread 0' })).toBeInTheDocument();
  });

  it('clicking a filter selects it', async () => {
    const onSelect = vi.fn();
    render(<Filters counts={{ unread: 3 }} filter="all" onSelect={onSelect} />);
    await userEvent.click(screen.getByRole('button', { name: /^Needs Attention\b/ }));
    expect(onSelect).toHaveBeenCalledWith('needs_attention');
  });

  it('counts that could not be read say so, rather than read 0', async () => {
    fake.counts.mockRejectedValue('the local inbox is closed');
    renderApp('/c/c1');
    const nav = await screen.findByRole('navigation', { name: 'Inbox filters' });
    expect(await within(nav).findByRole('alert')).toHaveTextContent('The counts could not be read: the local inbox is closed.');
  });

  it('a refresh that fails keeps the counts read before, without a warning beside them', async () => {
    fake.counts.mockResolvedValueOnce({ all: 2, unread: 3 }).mockRejectedValue('the local inbox is closed');
    renderApp('/c/c1');
    const nav = await screen.findByRole('navigation', { name: 'Inbox filters' });
    await within(nav).findByRole('button', { name: 'Unread 3' });
    act(() => fake.emit('inbox:changed', { threadIds: ['t1'] }));
    await waitFor(() => expect(fake.counts.mock.calls.length).toBeGreaterThan(1));
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(within(nav).getByRole('button', { name: 'Unread 3' })).toBeInTheDocument();
    expect(within(nav).queryByRole('alert')).not.toBeInTheDocument();
  });
});
