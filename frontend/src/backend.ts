// The one door to the Go side. Everything else imports from here, so the
// generated wailsjs bindings (made by `wails build`/`wails dev`, never
// committed) are touched in exactly one place and tests mock this module.
//
// A Go error rejects the promise with the error's message (a string).
import * as Account from '../wailsjs/go/app/Account';
import * as Texting from '../wailsjs/go/app/Texting';
import * as Inbox from '../wailsjs/go/app/Inbox';
import { EventsOn } from '../wailsjs/runtime/runtime';

// ---- wire shapes (json tags of backend/api and backend/client) ----

export interface User {
  id: string;
  name: string;
  email: string;
}

export interface Status {
  signedIn: boolean;
  user?: User;
  serverUrl: string;
  demo: boolean;
  demoJoinCode?: string;
  online: boolean;
  pending: number;
  lastError: string;
}

export interface Campaign {
  id: string;
  name: string;
  issue: string;
  public: boolean;
  joinCode?: string;
  role?: string;
}

export type ActionType = 'p2p' | 'broadcast' | 'friends' | 'team' | 'canvassing';

export interface ResponseScript {
  id: string;
  label: string;
  body: string;
  tags?: string[];
}

export interface ReportField {
  key: string;
  label: string;
  kind: 'tag' | 'text' | 'choice' | 'number';
  choices?: string[];
}

export interface TextingHours {
  start: string;
  end: string;
}

export interface Action {
  id: string;
  campaignId: string;
  type: ActionType | string;
  title: string;
  description: string;
  instructions: string;
  scripts: string[];
  responseScripts: ResponseScript[];
  reportFields: ReportField[];
  textingHours: TextingHours;
  batchSize: number;
  allowFreeText: boolean;
  creatorId: string;
  sendingNumber?: string;
}

export interface QueueItem {
  contactId: string;
  name: string;
  phone: string;
  body: string;
  segments: number;
  /** Set when the script could not be rendered for this contact. */
  error?: string;
}

export interface Queue {
  action: Action;
  items: QueueItem[];
  /** Unassigned contacts left on the server as of the last Text Again; -1 when unknown. */
  remaining: number;
}

export type FilterName =
  | 'all'
  | 'unread'
  | 'needs_attention'
  | 'archive'
  | 'friends'
  | 'team'
  | 'canvassing';

export type Counts = Partial<Record<FilterName, number>> & Record<string, number>;

export interface ThreadSummary {
  id: string;
  contactName: string;
  contactPhone: string;
  actionType: string;
  actionTitle: string;
  lastMessage: string;
  lastMessageAt: string;
  unread: boolean;
  needsAttention: boolean;
  archived: boolean;
  optedOut: boolean;
}

export interface Thread {
  id: string;
  actionId: string;
  campaignId: string;
  actionType: string;
  ownerId: string;
  contactName: string;
  contactPhone: string;
  sendingNumber: string;
  lastMessageAt: string;
  lastInboundAt?: string;
  lastOutboundAt?: string;
  lastReadAt?: string;
  lastReportAt?: string;
  archived: boolean;
  archivedReason?: string;
  optedOut: boolean;
  blocked: boolean;
}

export interface MessageView {
  id: string;
  threadId: string;
  direction: 'in' | 'out' | string;
  body: string;
  status: string;
  initial?: boolean;
  createdAt: string;
  pending: boolean;
  error?: string;
}

export interface ThreadView {
  thread: Thread;
  actionTitle: string;
  messages: MessageView[];
  responseScripts: ResponseScript[];
  allowFreeText: boolean;
}

export interface PendingMutation {
  id: string;
  type: string;
  summary: string;
  createdAt: string;
  attempts: number;
  rejected: boolean;
  reason?: string;
}

// ---- event payloads ----

export interface ReplyNew {
  threadId: string;
  contactName: string;
  body: string;
}

export interface MutationRejected {
  id: string;
  summary: string;
  reason: string;
}

export interface EventMap {
  'inbox:changed': undefined;
  'sync:status': Status;
  'reply:new': ReplyNew;
  'mutation:rejected': MutationRejected;
}

// The generated bindings type their results with Wails' model classes
// (times as `any`); the JSON is what these interfaces describe.
function typed<T>(p: Promise<unknown>): Promise<T> {
  return p as Promise<T>;
}

// ---- Account ----
export const status = (): Promise<Status> => typed(Account.Status());
export const signUp = (name: string, email: string, password: string): Promise<User> =>
  typed(Account.SignUp(name, email, password));
export const signIn = (email: string, password: string): Promise<User> =>
  typed(Account.SignIn(email, password));
export const signOut = (): Promise<void> => typed(Account.SignOut());
export const searchCampaigns = (q: string): Promise<Campaign[]> =>
  typed<Campaign[] | null>(Account.SearchCampaigns(q)).then((r) => r ?? []);
export const joinCampaign = (code: string): Promise<Campaign> => typed(Account.JoinCampaign(code));
export const joinCampaignByID = (id: string): Promise<Campaign> =>
  typed(Account.JoinCampaignByID(id));
export const campaigns = (): Promise<Campaign[]> =>
  typed<Campaign[] | null>(Account.Campaigns()).then((r) => r ?? []);
export const actions = (campaignId: string): Promise<Action[]> =>
  typed<Action[] | null>(Account.Actions(campaignId)).then((r) => r ?? []);

// ---- Texting ----
export const queue = (actionId: string): Promise<Queue> =>
  typed<Queue>(Texting.Queue(actionId)).then((q) => ({ ...q, items: q.items ?? [] }));
export const sendInitial = (actionId: string, contactId: string): Promise<void> =>
  typed(Texting.SendInitial(actionId, contactId));
export const textAgain = (actionId: string): Promise<number> => typed(Texting.TextAgain(actionId));
export const release = (actionId: string): Promise<number> => typed(Texting.Release(actionId));

// ---- Inbox ----
export const counts = (campaignId: string): Promise<Counts> =>
  typed<Counts | null>(Inbox.Counts(campaignId)).then((c) => c ?? {});
export const threads = (
  filter: FilterName,
  campaignId: string,
  query: string,
  offset: number,
  limit: number,
): Promise<ThreadSummary[]> =>
  typed<ThreadSummary[] | null>(Inbox.Threads(filter, campaignId, query, offset, limit)).then(
    (r) => r ?? [],
  );
export const thread = (id: string): Promise<ThreadView> =>
  typed<ThreadView>(Inbox.Thread(id)).then((t) => ({
    ...t,
    messages: t.messages ?? [],
    responseScripts: t.responseScripts ?? [],
  }));
export const markRead = (id: string): Promise<void> => typed(Inbox.MarkRead(id));
export const sendReply = (threadId: string, body: string, responseScriptId: string): Promise<void> =>
  typed(Inbox.SendReply(threadId, body, responseScriptId));
export const archive = (threadId: string, archived: boolean): Promise<void> =>
  typed(Inbox.Archive(threadId, archived));
export const outbox = (): Promise<PendingMutation[]> =>
  typed<PendingMutation[] | null>(Inbox.Outbox()).then((r) => r ?? []);
export const dismissRejected = (id: string): Promise<void> => typed(Inbox.DismissRejected(id));

// ---- runtime events ----

/** Subscribes to a Go-side event; returns the unsubscribe function. */
export function on<K extends keyof EventMap>(name: K, cb: (payload: EventMap[K]) => void): () => void {
  return EventsOn(name, (payload: EventMap[K]) => cb(payload));
}
