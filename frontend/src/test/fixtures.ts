// Builders for the shapes the Go side returns, so each test says only what matters to it.
import type { Action, Campaign, QueueItem, SettingsView, Status, ThreadSummary, ThreadView } from '../backend';

export function aStatus(over: Partial<Status> = {}): Status {
  return {
    signedIn: true,
    user: { id: 'u1', name: 'Vera Volunteer', email: 'vera@example.org' },
    serverUrl: 'http://127.0.0.1:8787',
    demo: false,
    online: true,
    connection: 'online',
    pending: 0,
    lastError: '',
    problem: '',
    sessionExpired: false,
    serverBusy: false,
    unopened: false,
    seq: 0,
    ...over,
  };
}

export function aCampaign(over: Partial<Campaign> = {}): Campaign {
  return { id: 'c1', name: 'Demo for Democracy', issue: 'Turnout', public: true, joinCode: '123456', role: 'volunteer', ...over };
}

export function anAction(over: Partial<Action> = {}): Action {
  return {
    id: 'a1',
    campaignId: 'c1',
    type: 'p2p',
    title: 'Get Out The Vote',
    description: 'Remind supporters to vote on Tuesday.',
    instructions: 'Be friendly. Stop if they ask you to.',
    scripts: ['Hi {first_name}!'],
    responseScripts: [],
    reportFields: [],
    textingHours: { start: '09:00', end: '21:00' },
    batchSize: 100,
    allowFreeText: false,
    creatorId: 'admin',
    ...over,
  };
}

export function anItem(n: number, over: Partial<QueueItem> = {}): QueueItem {
  const names = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra'];
  const name = names[n % names.length] + (n >= names.length ? ` ${n}` : '');
  return {
    contactId: `k${n}`,
    name,
    phone: `+1555000${String(n).padStart(4, '0')}`,
    // As the Go side writes it (backend/phone Display).
    phoneDisplay: `(555) 000-${String(n).padStart(4, '0')}`,
    body: `Hi ${name.split(' ')[0]}, this is Vera. Will you vote on Tuesday?`,
    segments: 1,
    ...over,
  };
}

export function aSummary(n: number, over: Partial<ThreadSummary> = {}): ThreadSummary {
  return {
    id: `t${n}`,
    campaignId: 'c1',
    actionId: 'a1',
    contactName: `Contact ${n}`,
    contactPhone: `+1555100${String(n).padStart(4, '0')}`,
    contactPhoneDisplay: `(555) 100-${String(n).padStart(4, '0')}`,
    actionType: 'p2p',
    actionTitle: 'Get Out The Vote',
    lastMessage: `Message ${n}`,
    lastMessageAt: new Date(2026, 0, 1, 10, 0).toISOString(),
    lastFromUs: false,
    unread: false,
    needsAttention: false,
    optOutUndecided: false,
    unanswered: false,
    archived: false,
    archivedReason: '',
    optedOut: false,
    reassignedFrom: '',
    // Where the Go side lists such a row (backend/inbox FiltersOf): a test
    // that changes the flags says the filters too.
    filters: ['all'],
    ...over,
  };
}

export function aThreadView(over: Partial<ThreadView> = {}): ThreadView {
  return {
    thread: {
      id: 't1',
      actionId: 'a1',
      campaignId: 'c1',
      actionType: 'p2p',
      ownerId: 'u1',
      contactName: 'Ada Lovelace',
      contactPhone: '+15550001111',
      sendingNumber: '+15559990000',
      lastMessageAt: '2026-01-01T10:00:00Z',
      archived: false,
      optedOut: false,
      blocked: false,
    },
    contactPhoneDisplay: '(555) 000-1111',
    actionTitle: 'Get Out The Vote',
    messages: [
      {
        id: 'm1', threadId: 't1', direction: 'out', body: 'Hi Ada, will you vote?', status: 'delivered',
        initial: true, createdAt: '2026-01-01T09:00:00Z', pending: false,
      },
      {
        id: 'm2', threadId: 't1', direction: 'in', body: 'Where do I vote?', status: 'received',
        createdAt: '2026-01-01T10:00:00Z', pending: false,
      },
    ],
    responseScripts: [
      { id: 'rs1', label: 'Polling place', body: 'You can find your polling place at vote.example.org.' },
      { id: 'rs2', label: 'Thanks', body: 'Thank you, Ada!' },
    ],
    allowFreeText: false,
    reports: [],
    pendingReports: [],
    latestReport: {},
    archived: false,
    archivedReason: '',
    reportFields: [],
    removedFields: [],
    optOutSuggested: false,
    textingHours: { start: '09:00', end: '21:00' },
    contactDetails: [],
    ...over,
  };
}

/** A promise the test settles when it wants to. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** This computer's settings as Settings.Get returns them on a fresh install. */
export function someAppSettings(over: Partial<SettingsView> = {}): SettingsView {
  return {
    serverUrl: '',
    startAtLogin: false,
    notifications: 'on',
    pausedUntil: '0001-01-01T00:00:00Z',
    sound: true,
    showMessageText: true,
    theme: 'system',
    textSize: 100,
    trayHintShown: false,
    version: '0.9.0',
    activeServer: 'http://127.0.0.1:8787',
    serverFromFlag: false,
    serverFromEnv: false,
    serverRefused: '',
    restartNeeded: false,
    restartKeepsCache: false,
    tokenStorage: 'keyring',
    trayAvailable: true,
    demo: false,
    soundSetIn: '',
    ...over,
  };
}
