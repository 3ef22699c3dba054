import { useCallback, useEffect, useState } from 'react';
import * as backend from './backend';
import type { Action, Campaign, Counts, FilterName, MutationRejected, Status } from './backend';
import { errorMessage } from './format';
import { ActionIntro } from './screens/ActionIntro';
import { InboxFilters, ThreadList } from './screens/Inbox';
import { Join } from './screens/Join';
import { Outbox } from './screens/Outbox';
import { Send } from './screens/Send';
import { SignIn } from './screens/SignIn';
import { SignUp } from './screens/SignUp';
import { ThreadView } from './screens/ThreadView';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { Notices } from './components/Notices';

type Phase =
  | { kind: 'loading' }
  | { kind: 'failed'; error: string }
  | { kind: 'signin' }
  | { kind: 'signup' }
  | { kind: 'join' }
  | { kind: 'main' };

export type Pane =
  | { kind: 'none' }
  | { kind: 'thread'; id: string }
  | { kind: 'intro'; action: Action }
  | { kind: 'send'; action: Action }
  | { kind: 'outbox' }
  | { kind: 'join' };

const campaignKey = 'textbank.campaign';

function rememberedCampaign(): string | null {
  try {
    return localStorage.getItem(campaignKey);
  } catch {
    return null;
  }
}

function rememberCampaign(id: string) {
  try {
    localStorage.setItem(campaignKey, id);
  } catch {
    // a window without storage just starts on the first campaign
  }
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [status, setStatus] = useState<Status | null>(null);
  const [campaignList, setCampaignList] = useState<Campaign[]>([]);
  const [campaignId, setCampaignId] = useState('');
  const [actionList, setActionList] = useState<Action[]>([]);
  const [filter, setFilter] = useState<FilterName>('all');
  const [counts, setCounts] = useState<Counts>({});
  const [pane, setPane] = useState<Pane>({ kind: 'none' });
  const [tick, setTick] = useState(0); // inbox changed on the Go side
  const [syncTick, setSyncTick] = useState(0); // sync status changed
  const [notices, setNotices] = useState<MutationRejected[]>([]);
  const [lastReply, setLastReply] = useState('');
  const [sidebarError, setSidebarError] = useState('');

  const refresh = useCallback(() => setTick((t) => t + 1), []);

  const enterSignedIn = useCallback(async (preferId?: string) => {
    const list = await backend.campaigns();
    setCampaignList(list);
    if (list.length === 0) {
      setPhase({ kind: 'join' });
      return;
    }
    const stored = rememberedCampaign();
    const id =
      (preferId && list.some((c) => c.id === preferId) && preferId) ||
      (stored && list.some((c) => c.id === stored) && stored) ||
      list[0].id;
    setCampaignId(id);
    rememberCampaign(id);
    setPane({ kind: 'none' });
    setPhase({ kind: 'main' });
  }, []);

  const start = useCallback(async () => {
    setPhase({ kind: 'loading' });
    try {
      const s = await backend.status();
      setStatus(s);
      if (!s.signedIn) {
        setPhase({ kind: 'signin' });
        return;
      }
      await enterSignedIn();
    } catch (err) {
      setPhase({ kind: 'failed', error: errorMessage(err) });
    }
  }, [enterSignedIn]);

  useEffect(() => {
    void start();
  }, [start]);

  // Live updates from the Go side.
  useEffect(() => {
    const offs = [
      backend.on('inbox:changed', () => setTick((t) => t + 1)),
      backend.on('sync:status', (s) => {
        setStatus((prev) => ({ ...(prev ?? ({} as Status)), ...s }));
        setSyncTick((t) => t + 1);
      }),
      backend.on('reply:new', (r) => setLastReply(`New reply from ${r.contactName}`)),
      backend.on('mutation:rejected', (m) =>
        setNotices((prev) => (prev.some((n) => n.id === m.id) ? prev : [...prev, m])),
      ),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  const inMain = phase.kind === 'main';

  // Signed in while offline, a volunteer who already belongs to campaigns
  // sees the join screen until sync brings them; then move on by itself.
  const onJoinScreen = phase.kind === 'join';
  useEffect(() => {
    if (!onJoinScreen || tick === 0) return;
    let live = true;
    backend.campaigns().then(
      (list) => {
        if (live && list.length > 0) void enterSignedIn();
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [onJoinScreen, tick, enterSignedIn]);

  useEffect(() => {
    if (!inMain || !campaignId) return;
    let live = true;
    backend.actions(campaignId).then(
      (list) => {
        if (!live) return;
        setActionList(list);
        setSidebarError('');
      },
      (err: unknown) => live && setSidebarError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [inMain, campaignId, tick]);

  useEffect(() => {
    if (!inMain || !campaignId) return;
    let live = true;
    backend.counts(campaignId).then(
      (c) => live && setCounts(c),
      (err: unknown) => live && setSidebarError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [inMain, campaignId, tick]);

  async function afterAuth() {
    try {
      setStatus(await backend.status());
      await enterSignedIn();
    } catch (err) {
      setPhase({ kind: 'failed', error: errorMessage(err) });
    }
  }

  async function onJoined(c: Campaign) {
    try {
      await enterSignedIn(c.id);
    } catch (err) {
      setPhase({ kind: 'failed', error: errorMessage(err) });
    }
  }

  async function doSignOut() {
    try {
      await backend.signOut();
      setCampaignList([]);
      setActionList([]);
      setCampaignId('');
      setCounts({});
      setPane({ kind: 'none' });
      await start();
    } catch (err) {
      setSidebarError(errorMessage(err));
    }
  }

  function switchCampaign(id: string) {
    setCampaignId(id);
    rememberCampaign(id);
    setPane({ kind: 'none' });
  }

  const dismiss = (id: string) => setNotices((prev) => prev.filter((n) => n.id !== id));

  switch (phase.kind) {
    case 'loading':
      return (
        <main className="center">
          <p className="muted">Opening Textbank…</p>
        </main>
      );
    case 'failed':
      return (
        <main className="center">
          <p role="alert" className="error">
            {phase.error}
          </p>
          <button type="button" onClick={() => void start()}>
            Try again
          </button>
        </main>
      );
    case 'signin':
      return (
        <SignIn
          serverUrl={status?.serverUrl}
          onSignedIn={() => void afterAuth()}
          onCreateAccount={() => setPhase({ kind: 'signup' })}
        />
      );
    case 'signup':
      return <SignUp onSignedUp={() => void afterAuth()} onSignIn={() => setPhase({ kind: 'signin' })} />;
    case 'join':
      return (
        <div className="solo">
          <Notices notices={notices} onDismiss={dismiss} />
          <main className="center">
            <Join onJoined={(c) => void onJoined(c)} demoCode={status?.demoJoinCode} />
          </main>
          <StatusBar status={status} lastReply={lastReply} onSignOut={doSignOut} />
        </div>
      );
    case 'main':
      break;
  }

  const current = campaignList.find((c) => c.id === campaignId);
  const openThreadId = pane.kind === 'thread' ? pane.id : undefined;

  return (
    <div className="shell">
      <Sidebar
        campaigns={campaignList}
        current={current}
        onSwitch={switchCampaign}
        onJoinAnother={() => setPane({ kind: 'join' })}
        actions={actionList}
        activeActionId={pane.kind === 'intro' || pane.kind === 'send' ? pane.action.id : undefined}
        onOpenAction={(a) => setPane({ kind: 'intro', action: a })}
        error={sidebarError}
      >
        <InboxFilters counts={counts} filter={filter} onSelect={setFilter} />
      </Sidebar>
      <ThreadList
        filter={filter}
        campaignId={campaignId}
        refreshKey={tick}
        selectedId={openThreadId}
        onOpen={(id) => setPane({ kind: 'thread', id })}
      />
      <main className="main-pane">
        <Notices notices={notices} onDismiss={dismiss} />
        {pane.kind === 'none' && (
          <section className="pane empty-pane">
            <p className="muted">Pick a conversation, or an action to start texting.</p>
          </section>
        )}
        {pane.kind === 'thread' && <ThreadView threadId={pane.id} refreshKey={tick} onChanged={refresh} />}
        {pane.kind === 'intro' && (
          <ActionIntro action={pane.action} onStart={() => setPane({ kind: 'send', action: pane.action })} />
        )}
        {pane.kind === 'send' && <Send action={pane.action} onBackToInbox={() => setPane({ kind: 'none' })} />}
        {pane.kind === 'outbox' && (
          <Outbox refreshKey={tick + syncTick} onClose={() => setPane({ kind: 'none' })} />
        )}
        {pane.kind === 'join' && (
          <section className="pane">
            <Join
              onJoined={(c) => void onJoined(c)}
              onCancel={() => setPane({ kind: 'none' })}
              demoCode={status?.demoJoinCode}
            />
          </section>
        )}
      </main>
      <StatusBar
        status={status}
        lastReply={lastReply}
        onOutbox={() => setPane({ kind: 'outbox' })}
        onSignOut={doSignOut}
      />
    </div>
  );
}
