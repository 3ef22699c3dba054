// The one door to the Go side. Everything else imports from here, so the
// generated wailsjs bindings (made by `wails build`/`wails dev`/`wails
// generate module`, never committed) are touched in exactly one place and
// tests mock this module (src/test/setup.ts), which is why Vitest runs
// without frontend/wailsjs present.
//
// The shapes are the Go types as Wails generates them (wails.json:
// bindings.ts_generation.outputType = "interfaces"); only type imports come
// from the generated models, so nothing here copies a Go struct by hand.
// The event payloads are generated too: app.Events (app/events.go) is bound
// only so that Wails generates their types.
//
// A Go error rejects the promise with the error's message (a string).
import type { account, api, app, client } from '../wailsjs/go/models';
import * as Account from '../wailsjs/go/app/Account';
import * as Texting from '../wailsjs/go/app/Texting';
import * as Inbox from '../wailsjs/go/app/Inbox';
import * as AppSettings from '../wailsjs/go/app/Settings';
import * as Admin from '../wailsjs/go/app/Admin';
import { EventsOn } from '../wailsjs/runtime/runtime';

export type User = api.User;
export type Campaign = api.Campaign;
export type Action = api.Action;
export type ResponseScript = api.ResponseScript;
export type Status = client.Status;
export type QueueItem = client.QueueItem;
export type Queue = client.Queue;
/** What a Text Again brought (backend/client Batch). */
export type Batch = client.Batch;
/** What a password change came to: the sign-ins it ended, or the field found wrong. */
export type PasswordChange = client.PasswordChange;
export type ThreadSummary = client.ThreadSummary;
export type ThreadView = client.ThreadView;
export type MessageView = client.MessageView;
export type PendingMutation = client.PendingMutation;
export type Settings = client.Settings;
/** This computer's settings (app/settings.go), as the Settings screen shows them. */
export type SettingsView = app.SettingsView;
export type ReportField = api.ReportField;
export type Report = api.Report;
export type TextingHours = api.TextingHours;
export type AdminOverview = client.AdminOverview;
/** A conversation reassigned to the caller, and whether its contact waits for an answer (inbox.AwaitsAnswer). */
export type ReassignedThread = client.ReassignedThread;
export type AbuseReport = api.AbuseReport;
export type Message = api.Message;
export type OptIn = api.OptIn;
/** A conversation as its campaign's admins read it: its texts, and the organization's opt-out of its number. */
export type AdminThread = Omit<api.MessagesResponse, 'optOut'> & { optOut?: AdminOptOut };
export type AdminOptOut = Omit<api.AdminOptOut, 'at'> & { at: string };
/** One opted-out conversation in the Admin section's list of opt-outs, and a page of them (next: where the following page starts). */
export type AdminOptOutRow = Omit<api.AdminOptOutRow, 'optOut'> & { optOut: AdminOptOut };
export type AdminOptOutsPage = Omit<api.AdminOptOutsResponse, 'optOuts'> & { optOuts: AdminOptOutRow[] };
export type CampaignResults = api.CampaignResults;
export type ActionResults = api.ActionResults;
export type ScriptResult = api.ScriptResult;
export type ScriptPart = api.ScriptPart;
export type TagCount = api.TagCount;
export type UnroutableText = client.UnroutableText;
export type Thread = api.Thread;
/** What a text about to be sent costs (app/segments.go). */
export type SegmentCount = app.SegmentCount;
/** Why a contact is blocked (api.BlockReasons). The unions here spell Go's sets by hand; app/frontend_unions_test.go keeps them equal. */
export type BlockReason = 'harassment' | 'threats' | 'spam' | 'other';
/** Status.connection (backend/client's Connection* constants). */
export type Connection = 'online' | 'offline' | 'connecting';
export type Theme = 'system' | 'light' | 'dark';
export type PauseChoice = 'hour' | 'tomorrow' | 'off';

/** Filter names as the Go side spells them (backend/inbox). */
export type FilterName = 'all' | 'unread' | 'needs_attention' | 'archive' | 'friends' | 'team' | 'canvassing';
export type Counts = Partial<Record<FilterName, number>>;

// ---- event payloads (backend/client/events.go, generated through app.Events) ----

/** What changed in the local cache; see docs/API.md, "inbox:changed". */
export type InboxChange = client.InboxChange;
export type LeftCampaign = client.LeftCampaign;
export type ReplyNotice = client.ReplyNotice;
export type RejectedNotice = client.RejectedNotice;
export type AdminChange = client.AdminChange;
type BusyRetry = app.BusyRetry;
/**
 * Where a notification or the tray sends the window: a filter, of a campaign or of the one on screen (app.InboxTarget; a bare filter name from older builds).
 * @public exported for app/frontend_unions_test.go, which reads its keys here
 */
export type InboxTarget = { filter: string; campaignId?: string };
/** The calls that tell of a busy server's retries (app/events.go's Call* constants). */
export type BusyCall = 'signUp' | 'signIn' | 'join' | 'textAgain' | 'release' | 'mark' | 'optBackIn' | 'undoOptOut';

export interface EventMap {
  /** Fields may be missing, or the payload itself, from code that does not know what changed. */
  'inbox:changed': Partial<InboxChange> | null | undefined;
  'sync:status': Status;
  'reply:new': ReplyNotice;
  'mutation:rejected': RejectedNotice;
  /** What a campaign's Admin section shows changed on the server (this user is its admin). */
  'admin:changed': AdminChange;
  /** A call the window waits on was refused by a busy server; Go asks again in `seconds` (app.BusyRetry). */
  'server:busy-retry': BusyRetry;
  /** The desktop shell asks to show a conversation (a notification was clicked): its id. */
  'navigate:thread': string;
  /** The desktop shell asks to show an inbox filter ("unread"). */
  'navigate:inbox': InboxTarget | string;
  /** The desktop shell asks to show a campaign's Admin section (conversations reassigned at once): its id. */
  'navigate:admin': string;
  /** This computer's settings changed behind the Settings screen's back (the tray's pause); read them again. */
  'settings:changed': unknown;
}

// The generated bindings type a Go slice as T[] but Go sends null for a nil slice.
const list = <T,>(p: Promise<T[] | null>): Promise<T[]> => p.then((r) => r ?? []);

// ---- Account ----
export const status = (): Promise<Status> => Account.Status();
export const signUp = (name: string, email: string, password: string): Promise<User> =>
  Account.SignUp(name, email, password);
export const signIn = (email: string, password: string): Promise<User> => Account.SignIn(email, password);
export const signOut = (): Promise<void> => Account.SignOut();
/** The volunteer's new name, which their texts carry from then on (online only). */
export const rename = (name: string): Promise<User> => Account.Rename(name);
/** A new password, the current one to confirm; resolves to how many other sign-ins ended (online only). */
export const changePassword = (current: string, next: string): Promise<PasswordChange> => Account.ChangePassword(current, next);
/** What is wrong with each field of a form, '' when nothing: the one rule is Go's (backend/account, backend/joincode). */
export type FormProblems = account.Problems;
export const checkSignUp = (name: string, email: string, password: string): Promise<FormProblems> =>
  Account.CheckSignUp(name, email, password);
export const checkSignIn = (email: string, password: string): Promise<FormProblems> => Account.CheckSignIn(email, password);
export const checkJoinCode = (code: string): Promise<string> => Account.CheckJoinCode(code);
export const minPassword = (): Promise<number> => Account.MinPassword();
export const searchCampaigns = (q: string): Promise<Campaign[]> => list(Account.SearchCampaigns(q));
export const joinCampaign = (code: string): Promise<Campaign> => Account.JoinCampaign(code);
export const joinCampaignByID = (id: string): Promise<Campaign> => Account.JoinCampaignByID(id);
export const campaigns = (): Promise<Campaign[]> => list(Account.Campaigns());
export const actions = (campaignId: string): Promise<Action[]> => list(Account.Actions(campaignId));

// ---- Texting ----
/** How many hours a number is spared a second first text (Go's texting.InitialLock). */
export const initialLockHours = (): Promise<number> => Texting.InitialLockHours();
export const queue = (actionId: string): Promise<Queue> =>
  Texting.Queue(actionId).then((q) => ({ ...q, items: q.items ?? [] }));
export const sendInitial = (actionId: string, contactId: string): Promise<void> =>
  Texting.SendInitial(actionId, contactId);
/** Sends exactly body: the new text the server answered a script_changed refusal with. */
export const sendNewText = (actionId: string, contactId: string, body: string): Promise<void> =>
  Texting.SendNewText(actionId, contactId, body);
export const textAgain = (actionId: string): Promise<Batch> => Texting.TextAgain(actionId);
export const release = (actionId: string): Promise<number> => Texting.Release(actionId);
/** Hands one contact the script cannot be filled in for back to the campaign. */
export const skipContact = (actionId: string, contactId: string): Promise<void> => Texting.Skip(actionId, contactId);
export const segmentCount = (body: string): Promise<SegmentCount> => Texting.Segments(body);

// ---- Inbox ----
export const counts = (campaignId: string): Promise<Counts> =>
  Inbox.Counts(campaignId).then((c) => (c ?? {}) as Counts);
export const threads = (
  filter: FilterName,
  campaignId: string,
  query: string,
  offset: number,
  limit: number,
): Promise<ThreadSummary[]> => list(Inbox.Threads(filter, campaignId, query, offset, limit));
export const thread = (id: string): Promise<ThreadView> =>
  Inbox.Thread(id).then((t) => ({
    ...t,
    messages: t.messages ?? [],
    responseScripts: t.responseScripts ?? [],
    reports: t.reports ?? [],
    pendingReports: t.pendingReports ?? [],
    latestReport: t.latestReport ?? {},
    reportFields: t.reportFields ?? [],
    removedFields: t.removedFields ?? [],
  }));
export const markRead = (id: string): Promise<void> => Inbox.MarkRead(id);
export const sendReply = (threadId: string, body: string, responseScriptId: string): Promise<void> =>
  Inbox.SendReply(threadId, body, responseScriptId);
export const archive = (threadId: string, archived: boolean): Promise<void> => Inbox.Archive(threadId, archived);
export const outbox = (): Promise<PendingMutation[]> => list(Inbox.Outbox());
export const dismissRejected = (id: string): Promise<void> => Inbox.DismissRejected(id);
export const discardFailing = (id: string): Promise<void> => Inbox.DiscardFailing(id);
export const settings = (): Promise<Settings> => Inbox.Settings();
export const setAutoArchive = (on: boolean): Promise<void> => Inbox.SetAutoArchive(on);
// Numbered: Go runs each call on its own goroutine, and applies only the newest (J/K sends several at once).
// From the clock, so the numbers keep rising across a reload of the page (Go keeps the highest it saw).
let openThreadSeq = 0;
export const setOpenThread = (threadId: string): Promise<void> => {
  openThreadSeq = Math.max(openThreadSeq + 1, Date.now() * 1000);
  return Inbox.SetOpenThread(threadId, openThreadSeq);
};
export const submitReport = (threadId: string, values: Record<string, string>): Promise<void> =>
  Inbox.SubmitReport(threadId, values);
export const blockContact = (threadId: string, reason: BlockReason, note: string): Promise<void> =>
  Inbox.BlockContact(threadId, reason, note);
export const reassignTargets = (actionId: string): Promise<User[]> => list(Inbox.ReassignTargets(actionId));
export const reassign = (threadId: string, toUserId: string, note: string): Promise<void> =>
  Inbox.Reassign(threadId, toUserId, note);
export const reassignableCount = (actionId: string): Promise<number> => Inbox.ReassignableCount(actionId);
export const reassignAll = (actionId: string, toUserId: string, note: string): Promise<number> =>
  Inbox.ReassignAll(actionId, toUserId, note);

// ---- Admin (the server answers campaign admins only) ----
export const adminOverview = (campaignId: string): Promise<AdminOverview> =>
  Admin.Overview(campaignId).then((o) => ({
    ...o,
    reassigned: o.reassigned ?? [],
    abuseReports: o.abuseReports ?? [],
    unroutable: o.unroutable ?? [],
    optIns: o.optIns ?? [],
  }));

/** The campaign's unroutable texts an admin marked handled, newest first (the overview lists the open ones). */
export const handledUnroutable = (campaignId: string): Promise<UnroutableText[]> => list(Admin.HandledUnroutable(campaignId));
/** Marks an unroutable text handled, or open again; straight at the server (it fails offline), answering the text as it is now. */
export const setUnroutableHandled = (campaignId: string, textId: string, handled: boolean): Promise<UnroutableText> =>
  Admin.SetUnroutableHandled(campaignId, textId, handled);
/** The campaign's reports of abuse an admin marked reviewed, newest first (the overview lists the open ones). */
export const reviewedAbuseReports = (campaignId: string): Promise<AbuseReport[]> => list(Admin.ReviewedAbuseReports(campaignId));
/** Marks a report of abuse reviewed, or open again; straight at the server (it fails offline), answering the report as it is now. */
export const setAbuseReportReviewed = (campaignId: string, reportId: string, reviewed: boolean): Promise<AbuseReport> =>
  Admin.SetAbuseReportReviewed(campaignId, reportId, reviewed);
/** The campaign's opt-ins an admin marked reviewed, newest first (the overview lists the open ones). */
export const reviewedOptIns = (campaignId: string): Promise<OptIn[]> => list(Admin.ReviewedOptIns(campaignId));
/** Marks an opt-in reviewed, or open again; straight at the server, answering the opt-in as it is now. */
export const setOptInReviewed = (campaignId: string, optInId: string, reviewed: boolean): Promise<OptIn> =>
  Admin.SetOptInReviewed(campaignId, optInId, reviewed);
/** Lifts the organization's opt-out of a contact who texted START and marks the opt-in reviewed; straight at the server. */
export const optBackIn = (campaignId: string, optInId: string): Promise<OptIn> => Admin.OptBackIn(campaignId, optInId);
/** Each action's results per initial script, as `textbankd stats` prints them; counted by the server on each call. */
export const adminResults = (campaignId: string): Promise<CampaignResults> =>
  Admin.Results(campaignId).then((r) => ({
    ...r,
    actions: (r.actions ?? []).map((a) => ({ ...a, scripts: (a.scripts ?? []).map(withTags), total: withTags(a.total) })),
  }));
// A server older than the reports' counts (2026-12-05) sends no tags: Go passes them on as null.
const withTags = (s: ScriptResult): ScriptResult => ({ ...s, tags: s.tags ?? [] });
/**
 * The latest texts of one conversation of the campaign, oldest first (a blocked one, from its report of abuse), as many as
 * one answer holds (earlier: how many come before them), and its number's opt-out.
 */
export const adminThread = (campaignId: string, threadId: string): Promise<AdminThread> => Admin.Thread(campaignId, threadId);
/** The texts of that conversation before the one whose id is before, as many as one answer holds; earlier: how many are left. */
export const adminEarlierTexts = (campaignId: string, threadId: string, before: string): Promise<AdminThread> =>
  Admin.EarlierTexts(campaignId, threadId, before);
/** A page of the campaign's opted-out conversations, the newest opt-out first: after '' for the first, else the last page's next. */
export const adminOptOuts = (campaignId: string, after: string): Promise<AdminOptOutsPage> =>
  Admin.OptOuts(campaignId, after).then((p) => ({ ...p, optOuts: p.optOuts ?? [] }));
/**
 * Lifts the organization's opt-out of a conversation's number that reports filed by mistake, as the admin saw it
 * (optedOutAt: the opt-out's at); straight at the server, answering the conversation as it is now.
 */
export const undoOptOut = (campaignId: string, threadId: string, optedOutAt: string): Promise<AdminThread> =>
  Admin.UndoOptOut(campaignId, threadId, optedOutAt);

// ---- Settings (this computer's; Automatic Archive above is the server's) ----
export const appSettings = (): Promise<SettingsView> => AppSettings.Get();
export const setServerURL = (url: string): Promise<SettingsView> => AppSettings.SetServerURL(url);
export const setStartAtLogin = (on: boolean): Promise<SettingsView> => AppSettings.SetStartAtLogin(on);
export const setNotifications = (on: boolean): Promise<SettingsView> => AppSettings.SetNotifications(on);
export const pauseNotifications = (choice: PauseChoice): Promise<SettingsView> => AppSettings.PauseNotifications(choice);
export const resumeNotifications = (): Promise<SettingsView> => AppSettings.ResumeNotifications();
export const setSound = (on: boolean): Promise<SettingsView> => AppSettings.SetSound(on);
export const setShowMessageText = (on: boolean): Promise<SettingsView> => AppSettings.SetShowMessageText(on);
export const setTheme = (theme: Theme): Promise<SettingsView> => AppSettings.SetTheme(theme);
export const setTextSize = (percent: number): Promise<SettingsView> => AppSettings.SetTextSize(percent);
export const showLogs = (): Promise<void> => AppSettings.ShowLogs();
export const serverVersion = (): Promise<string> => AppSettings.ServerVersion();
/** The first screen is up: the start-up benchmark measures to this call. */
export const ready = (rows: number, scriptMs: number, pageMs: number): Promise<void> =>
  AppSettings.Ready(rows, scriptMs, pageMs);

// ---- runtime events ----

/** Subscribes to a Go-side event; returns the unsubscribe function. */
export function on<K extends keyof EventMap>(name: K, cb: (payload: EventMap[K]) => void): () => void {
  return EventsOn(name, (payload: EventMap[K]) => cb(payload));
}
