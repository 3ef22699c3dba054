import type { FilterName } from '../backend';
import type { MarkList } from '../features/admin/marks';

// Every query key in one place, so the events hook can name exactly what a
// Go-side change touches. Keys are prefixes of each other on purpose:
// invalidating ['threads', campaignId] reaches every filter and search of it.
export const keys = {
  status: ['status'] as const,
  campaigns: ['campaigns'] as const,
  campaignSearch: (query: string) => ['campaignSearch', query] as const,
  actions: (campaignId: string) => ['actions', campaignId] as const,
  counts: (campaignId: string) => ['counts', campaignId] as const,
  threads: (campaignId: string, filter: FilterName, query: string) => ['threads', campaignId, filter, query] as const,
  thread: (id: string) => ['thread', id] as const,
  queue: (actionId: string) => ['queue', actionId] as const,
  outbox: ['outbox'] as const,
  settings: ['settings'] as const,
  appSettings: ['appSettings'] as const,
  serverVersion: ['serverVersion'] as const,
  minPassword: ['minPassword'] as const,
  initialLockHours: ['initialLockHours'] as const,
  admin: (campaignId: string) => ['admin', campaignId] as const,
  adminThread: (campaignId: string, threadId: string) => ['admin', campaignId, 'thread', threadId] as const,
  /** Not under ['admin', id]: an Admin section change (admin:changed) does not count the results again. */
  adminResults: (campaignId: string) => ['adminResults', campaignId] as const,
  /** A list's rows marked done (handled texts, reviewed reports and opt-ins): features/admin/marks.ts. */
  adminMarked: (campaignId: string, list: MarkList) => ['admin', campaignId, 'marked', list] as const,
  reassignTargets: (actionId: string) => ['reassignTargets', actionId] as const,
  reassignableCount: (actionId: string) => ['reassignableCount', actionId] as const,
  segments: (body: string) => ['segments', body] as const,
};
