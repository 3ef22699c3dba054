import type { QueryKey } from '@tanstack/react-query';
import type { FilterName } from '../backend';
import type { MarkList } from '../features/admin/marks';

// Every query key in one place, so the events hook can name exactly what a
// Go-side change touches. Keys are prefixes of each other on purpose:
// invalidating keys.every.threads reaches every campaign, filter and search
// of it; keys.threads(...) is one list.
const every = {
  actions: ['actions'] as const,
  counts: ['counts'] as const,
  threads: ['threads'] as const,
  thread: ['thread'] as const,
  queue: ['queue'] as const,
  admin: ['admin'] as const,
  reassignTargets: ['reassignTargets'] as const,
  reassignableCount: ['reassignableCount'] as const,
};

export const keys = {
  /** Prefixes: a family of keys, for invalidating or reading all of it at once. */
  every,
  status: ['status'] as const,
  campaigns: ['campaigns'] as const,
  campaignSearch: (query: string) => ['campaignSearch', query] as const,
  actions: (campaignId: string) => [...every.actions, campaignId] as const,
  counts: (campaignId: string) => [...every.counts, campaignId] as const,
  threads: (campaignId: string, filter: FilterName, query: string) => [...every.threads, campaignId, filter, query] as const,
  thread: (id: string) => [...every.thread, id] as const,
  queue: (actionId: string) => [...every.queue, actionId] as const,
  outbox: ['outbox'] as const,
  settings: ['settings'] as const,
  appSettings: ['appSettings'] as const,
  serverVersion: ['serverVersion'] as const,
  minPassword: ['minPassword'] as const,
  initialLockHours: ['initialLockHours'] as const,
  admin: (campaignId: string) => [...every.admin, campaignId] as const,
  adminThread: (campaignId: string, threadId: string) => [...every.admin, campaignId, 'thread', threadId] as const,
  /** The pages of texts before the read's first (from: its id), under the read's key: what reads it again reads them too. */
  adminEarlierTexts: (campaignId: string, threadId: string, from: string) =>
    [...every.admin, campaignId, 'thread', threadId, 'earlier', from] as const,
  /** Every conversation's admin read of the campaign (adminThread's): each says where the contact's START is. */
  adminThreads: (campaignId: string) => [...every.admin, campaignId, 'thread'] as const,
  /** The pages of the campaign's opt-outs: under ['admin', id], so an Admin section change (admin:changed) reads them again. */
  adminOptOuts: (campaignId: string) => [...every.admin, campaignId, 'optOuts'] as const,
  /** Not under ['admin', id]: an Admin section change (admin:changed) does not count the results again. */
  adminResults: (campaignId: string) => ['adminResults', campaignId] as const,
  /** A list's rows marked done (handled texts, reviewed reports and opt-ins): features/admin/marks.ts. */
  adminMarked: (campaignId: string, list: MarkList) => [...every.admin, campaignId, 'marked', list] as const,
  reassignTargets: (actionId: string) => [...every.reassignTargets, actionId] as const,
  reassignableCount: (actionId: string) => [...every.reassignableCount, actionId] as const,
  segments: (body: string) => ['segments', body] as const,
};

// Reading a key's parts: here, next to the keys they read, so a change of
// a key's shape is one change (tsc refuses a part the key no longer has).

/** The campaign, filter and search of a keys.threads list's key; undefined for a key of another family. */
export function threadsKeyParts(key: QueryKey): { campaignId: string; filter: FilterName; query: string } | undefined {
  if (key[0] !== every.threads[0]) return undefined;
  const [, campaignId, filter, query] = key as ReturnType<typeof keys.threads>;
  return { campaignId, filter, query };
}

/** The campaign of a keys.counts key; undefined for a key of another family. */
export function countsKeyCampaign(key: QueryKey): string | undefined {
  if (key[0] !== every.counts[0]) return undefined;
  const [, campaignId] = key as ReturnType<typeof keys.counts>;
  return campaignId;
}
