import { act, screen, waitFor } from '@testing-library/react';
import type { InfiniteData } from '@tanstack/react-query';
import type { ThreadSummary } from './backend';
import * as fake from './test/fakeBackend';
import { aCampaign, anAction, aStatus, aSummary, aThreadView } from './test/fixtures';
import { renderApp } from './test/render';
import { keys } from './lib/queryKeys';
import { warmPaneNow } from './warmPane';

// Once the inbox is on screen the first row's conversation is rendered once, hidden, so the first
// real open is a warm render. The hidden copy must do nothing a conversation on screen does.
async function warmInbox() {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue([aCampaign()]);
  fake.actions.mockResolvedValue([anAction()]);
  fake.threads.mockResolvedValue([aSummary(1, { unread: true, filters: ['all', 'unread'] }), aSummary(2)]);
  fake.thread.mockResolvedValue(aThreadView());
  const app = renderApp('/c/c1');
  await screen.findAllByTestId('thread-row');
  act(() => warmPaneNow());
  // The hidden copy's messages are in the page: its render is done.
  await waitFor(() => expect(document.querySelector('section.thread li.message')).not.toBeNull());
  return { ...app, pane: document.querySelector<HTMLElement>('section.thread')! };
}

describe('the conversation pane rendered once, hidden, after launch', () => {
  it('reads the first row’s conversation and marks nothing read, opens nothing, queues nothing', async () => {
    const { queryClient } = await warmInbox();
    expect(fake.thread).toHaveBeenCalledWith('t1');
    expect(fake.markRead).not.toHaveBeenCalled();
    expect(fake.setOpenThread).not.toHaveBeenCalled();
    expect(fake.sendReply).not.toHaveBeenCalled();
    expect(fake.submitReport).not.toHaveBeenCalled();
    expect(queryClient.getMutationCache().getAll()).toEqual([]);
    // The row is still unread, in the list's data and on screen.
    const rows = queryClient.getQueryData<InfiniteData<ThreadSummary[]>>(keys.threads('c1', 'all', ''))?.pages.flat();
    expect(rows?.find((t) => t.id === 't1')?.unread).toBe(true);
    expect(screen.getAllByTestId('thread-row')[0]).toHaveClass('unread');
  });

  it('is out of the accessibility tree and of Tab’s reach', async () => {
    const { pane, user } = await warmInbox();
    expect(pane).not.toBeVisible();
    expect(screen.queryByRole('heading', { name: 'Ada Lovelace' })).toBeNull();
    expect(screen.queryByRole('textbox', { name: /reply/i })).toBeNull();
    // Tab goes round the whole window (more presses than it has stops) and never lands in the hidden copy.
    const stops = document.querySelectorAll('button, a[href], input, select, textarea, [tabindex]').length;
    for (let i = 0; i < stops + 2; i++) {
      await user.tab();
      expect(pane.contains(document.activeElement), `Tab ${i + 1} reached ${document.activeElement?.outerHTML.slice(0, 80)}`).toBe(false);
    }
  });

  it('is gone once a conversation is opened, which is then the only one in the page', async () => {
    const { user } = await warmInbox();
    await user.click(screen.getByRole('button', { name: /^Contact 2/ }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeVisible();
    expect(document.querySelectorAll('section.thread')).toHaveLength(1);
    expect(fake.markRead).toHaveBeenCalledWith('t2');
  });
});
