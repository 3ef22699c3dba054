import type { InfiniteData } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { ThreadSummary } from '../backend';
import { aSummary } from '../test/fixtures';
import { makeQueryClient } from './queryClient';
import { keys } from './queryKeys';
import { applyInboxChange } from './useBackendEvents';

const at = (h: number) => new Date(Date.UTC(2026, 0, 1, h)).toISOString();
const list = (...rows: ThreadSummary[]): InfiniteData<ThreadSummary[], number> => ({ pages: [rows], pageParams: [0] });
const ids = (d: InfiniteData<ThreadSummary[], number> | undefined) => d?.pages.flat().map((t) => t.id);

describe('inbox:changed with the changed rows', () => {
  it('puts a thread that got a reply in its place in every list it belongs to, before any refetch', () => {
    const qc = makeQueryClient();
    const t1 = aSummary(1, { lastMessageAt: at(10) });
    const t2 = aSummary(2, { lastMessageAt: at(9) });
    const t3 = aSummary(3, { lastMessageAt: at(8), actionType: 'friends' });
    const get = (filter: Parameters<typeof keys.threads>[1], query = '', campaign = 'c1') =>
      qc.getQueryData<InfiniteData<ThreadSummary[], number>>(keys.threads(campaign, filter, query));
    qc.setQueryData(keys.threads('c1', 'all', ''), list(t1, t2, t3));
    qc.setQueryData(keys.threads('c1', 'unread', ''), list());
    qc.setQueryData(keys.threads('c1', 'friends', ''), list(t3));
    qc.setQueryData(keys.threads('c1', 'archive', ''), list());
    qc.setQueryData(keys.threads('c1', 'all', 'contact'), list(t1, t2));
    qc.setQueryData(keys.threads('c2', 'all', ''), list());

    // Contact 3 replies: newest, unread.
    const replied = { ...t3, lastMessageAt: at(11), lastMessage: 'Yes!', unread: true };
    applyInboxChange(qc, { threadIds: ['t3'], threads: [replied] });

    expect(ids(get('all'))).toEqual(['t3', 't1', 't2']);
    expect(get('all')?.pages[0][0].lastMessage).toBe('Yes!');
    expect(ids(get('unread'))).toEqual(['t3']);
    expect(ids(get('friends'))).toEqual(['t3']);
    expect(ids(get('archive'))).toEqual([]);
    expect(ids(get('all', 'contact'))).toEqual(['t1', 't2']); // searches are refetched, not patched
    expect(ids(get('all', '', 'c2'))).toEqual([]); // another campaign's list
  });

  it('takes an archived thread out of All and puts it in Archive', () => {
    const qc = makeQueryClient();
    const t1 = aSummary(1, { lastMessageAt: at(10) });
    const t2 = aSummary(2, { lastMessageAt: at(9) });
    qc.setQueryData(keys.threads('c1', 'all', ''), list(t1, t2));
    qc.setQueryData(keys.threads('c1', 'archive', ''), list());
    applyInboxChange(qc, { threadIds: ['t1'], threads: [{ ...t1, archived: true, archivedReason: 'inactive' }] });
    expect(ids(qc.getQueryData(keys.threads('c1', 'all', '')))).toEqual(['t2']);
    expect(ids(qc.getQueryData(keys.threads('c1', 'archive', '')))).toEqual(['t1']);
  });
});
