import type { InfiniteData } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Status, ThreadSummary } from '../backend';
import { aSummary } from '../test/fixtures';
import { makeQueryClient } from './queryClient';
import { keys } from './queryKeys';
import { applyInboxChange, applyStatus } from './useBackendEvents';

const at = (h: number) => new Date(Date.UTC(2026, 0, 1, h)).toISOString();
const list = (...rows: ThreadSummary[]): InfiniteData<ThreadSummary[], number> => ({ pages: [rows], pageParams: [0] });
const ids = (d: InfiniteData<ThreadSummary[], number> | undefined) => d?.pages.flat().map((t) => t.id);

describe('inbox:changed with the changed rows', () => {
  it('puts a thread that got a reply in its place in every list it belongs to, before any refetch', () => {
    const qc = makeQueryClient();
    const t1 = aSummary(1, { lastMessageAt: at(10) });
    const t2 = aSummary(2, { lastMessageAt: at(9) });
    const t3 = aSummary(3, { lastMessageAt: at(8), actionType: 'friends', filters: ['all', 'friends'] });
    const get = (filter: Parameters<typeof keys.threads>[1], query = '', campaign = 'c1') =>
      qc.getQueryData<InfiniteData<ThreadSummary[], number>>(keys.threads(campaign, filter, query));
    qc.setQueryData(keys.threads('c1', 'all', ''), list(t1, t2, t3));
    qc.setQueryData(keys.threads('c1', 'unread', ''), list());
    qc.setQueryData(keys.threads('c1', 'friends', ''), list(t3));
    qc.setQueryData(keys.threads('c1', 'archive', ''), list());
    qc.setQueryData(keys.threads('c1', 'all', 'contact'), list(t1, t2));
    qc.setQueryData(keys.threads('c2', 'all', ''), list());

    // Contact 3 replies: newest, unread.
    const replied = { ...t3, lastMessageAt: at(11), lastMessage: 'Yes!', unread: true, filters: ['all', 'unread', 'friends'] };
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
    applyInboxChange(qc, { threadIds: ['t1'], threads: [{ ...t1, archived: true, archivedReason: 'inactive', filters: ['archive'] }] });
    expect(ids(qc.getQueryData(keys.threads('c1', 'all', '')))).toEqual(['t2']);
    expect(ids(qc.getQueryData(keys.threads('c1', 'archive', '')))).toEqual(['t1']);
  });

  it('places a row by the filters the event says it is listed under, not by its flags', () => {
    const qc = makeQueryClient();
    const t1 = aSummary(1, { lastMessageAt: at(10) });
    for (const f of ['all', 'unread', 'needs_attention', 'archive', 'friends', 'team', 'canvassing'] as const)
      qc.setQueryData(keys.threads('c1', f, ''), list());
    // Flags that the TS copy of the rules would have read otherwise: the
    // Go side's membership decides.
    const row = { ...t1, unread: true, needsAttention: true, actionType: 'team', filters: ['all', 'needs_attention'] };
    applyInboxChange(qc, { threadIds: ['t1'], threads: [row] });
    const listed = (['all', 'unread', 'needs_attention', 'archive', 'friends', 'team', 'canvassing'] as const).filter(
      (f) => ids(qc.getQueryData(keys.threads('c1', f, '')))?.includes('t1'),
    );
    expect(listed).toEqual(['all', 'needs_attention']);
    // And out again of every list the next event leaves out.
    applyInboxChange(qc, { threadIds: ['t1'], threads: [{ ...row, filters: ['archive'] }] });
    expect(ids(qc.getQueryData(keys.threads('c1', 'all', '')))).toEqual([]);
    expect(ids(qc.getQueryData(keys.threads('c1', 'needs_attention', '')))).toEqual([]);
    expect(ids(qc.getQueryData(keys.threads('c1', 'archive', '')))).toEqual(['t1']);
  });

  it('takes the counts from the event and refetches neither them nor the lists it placed rows in', () => {
    const qc = makeQueryClient();
    const t1 = aSummary(1, { lastMessageAt: at(10) });
    qc.setQueryData(keys.threads('c1', 'all', ''), list());
    qc.setQueryData(keys.threads('c1', 'all', 'con'), list());
    qc.setQueryData(keys.counts('c1'), { all: 0 });
    qc.setQueryData(keys.counts('c2'), { all: 5 });
    applyInboxChange(qc, { threadIds: ['t1'], threads: [t1], counts: { c1: { all: 1 } } });
    expect(qc.getQueryData(keys.counts('c1'))).toEqual({ all: 1 });
    expect(qc.getQueryState(keys.counts('c1'))?.isInvalidated).toBe(false);
    expect(qc.getQueryState(keys.counts('c2'))?.isInvalidated).toBe(true);
    expect(qc.getQueryState(keys.threads('c1', 'all', ''))?.isInvalidated).toBe(false);
    expect(qc.getQueryState(keys.threads('c1', 'all', 'con'))?.isInvalidated).toBe(true); // a search
  });

  it('refetches the lists when a changed thread has no row (gone from the cache)', () => {
    const qc = makeQueryClient();
    qc.setQueryData(keys.threads('c1', 'all', ''), list(aSummary(1)));
    applyInboxChange(qc, { threadIds: ['t1'], threads: [] });
    expect(qc.getQueryState(keys.threads('c1', 'all', ''))?.isInvalidated).toBe(true);
  });
});

describe('inbox:changed out of order', () => {
  it('keeps the newer row and counts when an older event arrives after them, and refetches what it names', () => {
    const qc = makeQueryClient();
    qc.setQueryData(keys.threads('c1', 'all', ''), list());
    qc.setQueryData(keys.threads('c1', 'archive', ''), list());
    qc.setQueryData(keys.counts('c1'), { all: 0 });
    const t1 = aSummary(1, { lastMessageAt: at(10) });
    // Newest: archived. The older event, arriving last, still has it in All.
    applyInboxChange(qc, {
      seq: 2,
      threadIds: ['t1'],
      threads: [{ ...t1, archived: true, filters: ['archive'] }],
      counts: { c1: { all: 0, archive: 1 } },
    });
    applyInboxChange(qc, { seq: 1, threadIds: ['t1'], threads: [{ ...t1, filters: ['all'] }], counts: { c1: { all: 1 } } });
    expect(ids(qc.getQueryData(keys.threads('c1', 'all', '')))).toEqual([]);
    expect(ids(qc.getQueryData(keys.threads('c1', 'archive', '')))).toEqual(['t1']);
    expect(qc.getQueryData(keys.counts('c1'))).toEqual({ all: 0, archive: 1 });
    // What it names may have changed since: refetched, not trusted.
    expect(qc.getQueryState(keys.threads('c1', 'all', ''))?.isInvalidated).toBe(true);
    expect(qc.getQueryState(keys.counts('c1'))?.isInvalidated).toBe(true);
    // A newer event places its rows again.
    applyInboxChange(qc, { seq: 3, threadIds: ['t1'], threads: [{ ...t1, filters: ['all'] }] });
    expect(ids(qc.getQueryData(keys.threads('c1', 'all', '')))).toEqual(['t1']);
  });

  it('places the rows of events without a seq, as an older Go side sends', () => {
    const qc = makeQueryClient();
    qc.setQueryData(keys.threads('c1', 'all', ''), list());
    applyInboxChange(qc, { seq: 5, threadIds: [], threads: [] });
    applyInboxChange(qc, { threadIds: ['t1'], threads: [aSummary(1)] });
    expect(ids(qc.getQueryData(keys.threads('c1', 'all', '')))).toEqual(['t1']);
  });
});

describe('sync:status', () => {
  const st = (seq: number, pending: number) => ({ seq, pending, connection: 'online', online: true }) as unknown as Status;

  it('keeps the newest status when an older event arrives after it', () => {
    const qc = makeQueryClient();
    applyStatus(qc, st(1, 1));
    applyStatus(qc, st(3, 0));
    applyStatus(qc, st(2, 1));
    expect(qc.getQueryData<Status>(keys.status)?.pending).toBe(0);
    applyStatus(qc, st(4, 2));
    expect(qc.getQueryData<Status>(keys.status)?.pending).toBe(2);
  });

  it('applies a status without a seq, as an older Go side sends', () => {
    const qc = makeQueryClient();
    applyStatus(qc, st(5, 0));
    applyStatus(qc, { pending: 3 } as unknown as Status);
    expect(qc.getQueryData<Status>(keys.status)?.pending).toBe(3);
  });
});
