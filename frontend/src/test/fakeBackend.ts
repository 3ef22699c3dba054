// Stand-in for src/backend.ts in every test (src/test/setup.ts mocks it), so
// Vitest never loads the generated wailsjs bindings.
// Every binding is a vi.fn; `on` keeps the handlers so a test can emit Go-side events.
import { vi } from 'vitest';
import type { EventMap } from '../backend';
import { aStatus, aThreadView, someAppSettings } from './fixtures';

type Handler = (payload: unknown) => void;
const handlers = new Map<string, Set<Handler>>();

export const status = vi.fn();
export const signUp = vi.fn();
export const signIn = vi.fn();
export const signOut = vi.fn();
export const rename = vi.fn();
export const changePassword = vi.fn();
export const checkSignUp = vi.fn();
export const checkSignIn = vi.fn();
export const checkJoinCode = vi.fn();
export const minPassword = vi.fn();
export const initialLockHours = vi.fn();
export const searchCampaigns = vi.fn();
export const joinCampaign = vi.fn();
export const joinCampaignByID = vi.fn();
export const campaigns = vi.fn();
export const actions = vi.fn();
export const queue = vi.fn();
export const sendInitial = vi.fn();
export const sendNewText = vi.fn();
export const textAgain = vi.fn();
export const release = vi.fn();
export const skipContact = vi.fn();
export const counts = vi.fn();
export const threads = vi.fn();
export const thread = vi.fn();
export const markRead = vi.fn();
export const sendReply = vi.fn();
export const archive = vi.fn();
export const outbox = vi.fn();
export const dismissRejected = vi.fn();
export const discardFailing = vi.fn();
export const settings = vi.fn();
export const setAutoArchive = vi.fn();
export const setOpenThread = vi.fn();
export const appSettings = vi.fn();
export const setServerURL = vi.fn();
export const setStartAtLogin = vi.fn();
export const setNotifications = vi.fn();
export const pauseNotifications = vi.fn();
export const resumeNotifications = vi.fn();
export const setSound = vi.fn();
export const setShowMessageText = vi.fn();
export const setTheme = vi.fn();
export const setTextSize = vi.fn();
export const showLogs = vi.fn();
export const serverVersion = vi.fn();
export const ready = vi.fn();
export const segmentCount = vi.fn();
export const submitReport = vi.fn();
export const blockContact = vi.fn();
export const reassignTargets = vi.fn();
export const reassign = vi.fn();
export const reassignableCount = vi.fn();
export const reassignAll = vi.fn();
export const adminOverview = vi.fn();
export const adminResults = vi.fn();
export const adminThread = vi.fn();
export const adminEarlierTexts = vi.fn();
export const adminOptOuts = vi.fn();
export const handledUnroutable = vi.fn();
export const setUnroutableHandled = vi.fn();
export const reviewedAbuseReports = vi.fn();
export const setAbuseReportReviewed = vi.fn();
export const reviewedOptIns = vi.fn();
export const setOptInReviewed = vi.fn();
export const optBackIn = vi.fn();
export const undoOptOut = vi.fn();

export function on<K extends keyof EventMap>(name: K, cb: (payload: EventMap[K]) => void): () => void {
  const set = handlers.get(name) ?? new Set<Handler>();
  handlers.set(name, set);
  const h = cb as Handler;
  set.add(h);
  return () => set.delete(h);
}

/** Delivers a Go-side event to every current subscriber. */
export function emit<K extends keyof EventMap>(name: K, payload: EventMap[K]) {
  handlers.get(name)?.forEach((h) => h(payload));
}

/** Every binding answers like a healthy, empty, signed-in app. */
export function resetBackend() {
  handlers.clear();
  status.mockReset().mockResolvedValue(aStatus());
  signUp.mockReset().mockResolvedValue({ id: 'u1', name: 'Vera Volunteer', email: 'vera@example.org' });
  signIn.mockReset().mockResolvedValue({ id: 'u1', name: 'Vera Volunteer', email: 'vera@example.org' });
  signOut.mockReset().mockResolvedValue(undefined);
  rename.mockReset().mockImplementation(async (name: string) => ({ id: 'u1', name: name.trim(), email: 'vera@example.org' }));
  changePassword.mockReset().mockResolvedValue({ signedOut: 0 });
  // The forms' rules are Go's (backend/account): by default nothing is wrong; a test says what Go would.
  checkSignUp.mockReset().mockResolvedValue({ name: '', email: '', password: '' });
  checkSignIn.mockReset().mockResolvedValue({ name: '', email: '', password: '' });
  checkJoinCode.mockReset().mockResolvedValue('');
  minPassword.mockReset().mockResolvedValue(8);
  initialLockHours.mockReset().mockResolvedValue(6);
  searchCampaigns.mockReset().mockResolvedValue([]);
  joinCampaign.mockReset();
  joinCampaignByID.mockReset();
  campaigns.mockReset().mockResolvedValue([]);
  actions.mockReset().mockResolvedValue([]);
  // Nothing handed out yet, and the count not known (as before the first Text Again): the intro offers Start.
  queue.mockReset().mockResolvedValue({ items: [], remaining: -1 });
  sendInitial.mockReset().mockResolvedValue(undefined);
  sendNewText.mockReset().mockResolvedValue(undefined);
  textAgain.mockReset().mockResolvedValue({ assigned: 0, heldBack: 0, remaining: 0 });
  release.mockReset().mockResolvedValue(0);
  skipContact.mockReset().mockResolvedValue(undefined);
  counts.mockReset().mockResolvedValue({});
  threads.mockReset().mockResolvedValue([]);
  // Any conversation asked for is there (the open one's query, as the list reads it too): a query
  // answering undefined is an error to TanStack Query, printed on every such test.
  thread.mockReset().mockImplementation(async (id: string) => {
    const view = aThreadView();
    return { ...view, thread: { ...view.thread, id } };
  });
  markRead.mockReset().mockResolvedValue(undefined);
  sendReply.mockReset().mockResolvedValue(undefined);
  archive.mockReset().mockResolvedValue(undefined);
  outbox.mockReset().mockResolvedValue([]);
  dismissRejected.mockReset().mockResolvedValue(undefined);
  discardFailing.mockReset().mockResolvedValue(undefined);
  settings.mockReset().mockResolvedValue({ autoArchive: false });
  setAutoArchive.mockReset().mockResolvedValue(undefined);
  setOpenThread.mockReset().mockResolvedValue(undefined);
  appSettings.mockReset().mockResolvedValue(someAppSettings());
  for (const set of [setServerURL, setStartAtLogin, setNotifications, pauseNotifications, resumeNotifications, setSound, setShowMessageText, setTheme, setTextSize]) {
    set.mockReset().mockResolvedValue(someAppSettings());
  }
  showLogs.mockReset().mockResolvedValue(undefined);
  serverVersion.mockReset().mockResolvedValue('1.4.0');
  ready.mockReset().mockResolvedValue(undefined);
  // A rough stand-in for backend/segments: GSM-7 lengths only.
  segmentCount.mockReset().mockImplementation(async (body: string) => {
    const n = body.length;
    return { segments: n === 0 ? 0 : n <= 160 ? 1 : Math.ceil(n / 153), characters: n, encoding: 'GSM-7' };
  });
  submitReport.mockReset().mockResolvedValue(undefined);
  blockContact.mockReset().mockResolvedValue(undefined);
  reassignTargets.mockReset().mockResolvedValue([{ id: 'admin', name: 'Olive Organizer', email: 'olive@example.org' }]);
  reassign.mockReset().mockResolvedValue(undefined);
  reassignableCount.mockReset().mockResolvedValue(1);
  reassignAll.mockReset().mockResolvedValue(1);
  adminOverview.mockReset().mockResolvedValue({ reassigned: [], abuseReports: [], abuseReportsReviewed: 0, unroutable: [], unroutableHandled: 0, optIns: [], optInsReviewed: 0 });
  adminThread.mockReset().mockResolvedValue({ messages: [] });
  adminEarlierTexts.mockReset().mockResolvedValue({ messages: [] });
  adminOptOuts.mockReset().mockResolvedValue({ optOuts: [], total: 0 });
  undoOptOut.mockReset();
  handledUnroutable.mockReset().mockResolvedValue([]);
  setUnroutableHandled.mockReset();
  reviewedAbuseReports.mockReset().mockResolvedValue([]);
  setAbuseReportReviewed.mockReset();
  reviewedOptIns.mockReset().mockResolvedValue([]);
  adminResults.mockReset().mockResolvedValue({ actions: [] });
  setOptInReviewed.mockReset();
  optBackIn.mockReset();
}
