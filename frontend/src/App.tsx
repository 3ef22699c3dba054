import { Suspense, useEffect, useRef, useState } from 'react';
import { QueryClientProvider, useQueryClient, type QueryClient } from '@tanstack/react-query';
import {
  Navigate,
  Outlet,
  RouterProvider,
  useLocation,
  useNavigate,
  useParams,
  type DataRouter,
  type RouteObject,
} from 'react-router';
import { useBackendEvents } from './lib/useBackendEvents';
import { keys } from './lib/queryKeys';
import { campaigns, thread, type Campaign } from './backend';
import { Start, Loading } from './features/session/Start';
import { rememberCampaign, rememberedCampaign, useStatus } from './features/session/hooks';
import { Sidebar } from './features/campaigns/Sidebar';
import { CampaignContact } from './features/campaigns/CampaignContact';
import { CampaignName } from './features/campaigns/CampaignName';
import { Filters } from './features/inbox/Filters';
import { ThreadList } from './features/inbox/ThreadList';
import { AutoArchive } from './features/inbox/AutoArchive';
import { campaignWithUnread, useCounts, useInboxParams } from './features/inbox/hooks';
import { StatusBar } from './features/outbox/StatusBar';
import { Notices, NoticesProvider, useNotices } from './features/outbox/notices';
import { useAppearance, useLayout } from './features/settings/hooks';
import { ShortcutsProvider } from './features/shortcuts/Shortcuts';
import { useCampaigns } from './features/campaigns/hooks';
import { isAdmin } from './features/admin/hooks';
import { rescueFocus } from './lib/focus';
import { filterLabel } from './lib/labels';
import { historyStep } from './lib/keys';
import { useTabWrap } from './lib/tabWrap';
import { errorMessage, sentence } from './lib/format';
import { PaneLoading } from './components/PaneLoading';
import { ScreenError } from './components/ScreenError';
import {
  ActionIntroPage,
  AdminPage,
  JoinAnotherPage,
  JoinPage,
  Outbox,
  SendPage,
  SettingsScreen,
  SignIn,
  SignUp,
  ThreadView,
} from './screens';
import { WarmPane } from './warmPane';

// The screens are routes: the back button, a notification's "open this
// conversation" and every link are one navigate call. The URL (a hash, as the
// window is a single page) holds the campaign, the open conversation or action,
// and the inbox filter and search.
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Root />,
    errorElement: <ScreenError whole />,
    children: [
      { index: true, element: <Start /> },
      { path: 'signin', element: <SignIn /> },
      { path: 'signup', element: <SignUp /> },
      { path: 'join', element: <JoinPage /> },
      { path: 'settings', element: <SettingsPage /> },
      {
        path: 'c/:campaignId',
        element: <Shell />,
        children: [
          {
            // A pane that fails to draw takes only the pane: the shell around it stays.
            errorElement: <ScreenError />,
            children: [
              { index: true, element: <EmptyPane /> },
              { path: 'thread/:threadId', element: <ThreadPage /> },
              { path: 'action/:actionId', element: <ActionIntroPage /> },
              { path: 'action/:actionId/send', element: <SendPage /> },
              { path: 'outbox', element: <Outbox /> },
              { path: 'join', element: <JoinAnotherPage /> },
              { path: 'admin', element: <AdminPage /> },
            ],
          },
        ],
      },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
];

export function App({ router, queryClient }: { router: DataRouter; queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <NoticesProvider>
        <ShortcutsProvider>
          {/* Navigations render at once, not as transitions: a transition's render
              yields every few milliseconds and opening a thread took two to three
              frames; a volunteer's click should show its screen in the next one. */}
          <RouterProvider router={router} useTransitions={false} />
        </ShortcutsProvider>
      </NoticesProvider>
    </QueryClientProvider>
  );
}

/** Listens to the Go side for the whole window. */
function Root() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const notices = useNotices();
  const qc = useQueryClient();
  // The campaign on screen, if any (Settings and sign-in are of none).
  const shown = pathname.match(/^\/c\/([^/]+)/)?.[1];
  useBackendEvents({
    onReply: notices.setLastReply,
    onRejected: notices.addRejected,
    // A notification's "open this conversation": one navigate, to its own
    // campaign, which need not be the one on screen (or any: Settings).
    onOpenThread: (id) => {
      qc.fetchQuery({ queryKey: keys.thread(id), queryFn: () => thread(id) }).then(
        (v) => navigate(`/c/${v.thread.campaignId}/thread/${id}`),
        () => shown && navigate(`/c/${shown}/thread/${id}`),
      );
    },
    // Several replies at once open Unread in their campaign when they share
    // one. Without one (replies in several campaigns, or the tray's "N unread
    // replies", which counts them all): the campaign on screen if replies
    // wait there, else the one where most wait (campaignWithUnread), so the
    // click never shows an empty Unread. From a screen of no campaign
    // (Settings), "on screen" is the one the volunteer was last in.
    onOpenFilter: (filter, campaignId) => {
      const onScreen = shown ?? rememberedCampaign() ?? undefined;
      const go = (campaign: string | undefined) => {
        if (campaign) navigate(`/c/${campaign}?filter=${encodeURIComponent(filter)}`);
      };
      if (campaignId || filter !== 'unread') {
        go(campaignId || onScreen);
        return;
      }
      qc.fetchQuery({ queryKey: keys.campaigns, queryFn: campaigns })
        .then((list) => campaignWithUnread(qc, onScreen, list.map((c) => c.id)))
        .then(go, () => go(onScreen));
    },
    // Conversations reassigned at once: the Admin section of their campaign
    // lists them (as the status bar's Open goes there). An action's creator
    // who is no admin (one may be removed) has no Admin section: the inbox.
    onOpenAdmin: (campaignId) => {
      const campaign = campaignId || (shown ?? rememberedCampaign());
      if (!campaign) return;
      const admin = isAdmin(qc.getQueryData<Campaign[]>(keys.campaigns)?.find((c) => c.id === campaign));
      navigate(admin ? `/c/${campaign}/admin` : `/c/${campaign}`);
    },
    // Removed from campaigns by their organizers: gone from the list at once (Start must not pick
    // one again while the list is read anew), said in a notice, and the window leaves the one on
    // screen for the next campaign (or joining one).
    onLeft: (left) => {
      const gone = new Set(left.map((c) => c.id));
      qc.setQueryData<Campaign[]>(keys.campaigns, (list) => list?.filter((c) => !gone.has(c.id)));
      notices.addLeft(left);
      if (shown && gone.has(shown)) navigate('/', { replace: true });
    },
  });
  useHistoryKeys();
  useTabWrap();
  useAppearance();
  return (
    <Suspense fallback={<Loading />}>
      <Outlet />
    </Suspense>
  );
}

/** The mouse's back and forward buttons and Alt+Left/Right (lib/keys: where they are not the field's own) move through the window's history. */
function useHistoryKeys() {
  const navigate = useNavigate();
  useEffect(() => {
    const onMouse = (e: MouseEvent) => {
      if (e.button === 3) navigate(-1);
      if (e.button === 4) navigate(1);
    };
    const onKey = (e: KeyboardEvent) => {
      const { step, stop } = historyStep(e);
      if (stop) e.preventDefault();
      if (step !== 0) navigate(step);
    };
    window.addEventListener('mouseup', onMouse);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mouseup', onMouse);
      window.removeEventListener('keydown', onKey);
    };
  }, [navigate]);
}

/** A campaign's window: sidebar, conversations, the pane the route names, the status bar. */
function Shell() {
  const { campaignId = '', threadId, filter, query, setFilter } = useInboxParams();
  const status = useStatus();
  const countsQuery = useCounts(campaignId);
  const counts = countsQuery.data ?? {};
  // Said only when there are no counts to show: a refresh that fails keeps the last ones read.
  const countsError =
    countsQuery.isError && countsQuery.data === undefined ? sentence(`The counts could not be read: ${errorMessage(countsQuery.error)}`) : undefined;
  const location = useLocation();
  const { pathname } = location;
  const done = (location.state as { done?: string } | null)?.done;
  const campaign = useCampaigns().data?.find((c) => c.id === campaignId);
  // In a narrow window (or at 200% zoom) the sidebar hides behind Menu.
  const [menuOpen, setMenuOpen] = useState(false);
  const hasPane = pathname.replace(/\/+$/, '') !== `/c/${campaignId}`;
  // A narrow window showing the list hides the pane: its news shows above the list.
  const layout = useLayout();
  const newsAbove = layout === 'narrow' && !hasPane;

  useEffect(() => {
    if (campaignId) rememberCampaign(campaignId);
  }, [campaignId]);

  // A pick in the unfolded sidebar (Admin, an action, a filter) folds it, and hides the button
  // pressed with it: focus must not stay there, where the rescue below would leave it (it leaves a
  // focused control alone). A new pane's heading takes it (the rescue, once it is let go); a filter,
  // whose list is beside Menu, gives it back to Menu, as Esc does. Runs before the rescue.
  const menuButton = useRef<HTMLButtonElement>(null);
  const lastPath = useRef(pathname);
  useEffect(() => {
    const paneChanged = lastPath.current !== pathname;
    lastPath.current = pathname;
    setMenuOpen(false);
    const active = document.activeElement;
    if (layout === 'wide' || !(active instanceof HTMLElement) || !document.getElementById('sidebar')?.contains(active)) return;
    if (paneChanged) active.blur();
    else menuButton.current?.focus();
    // Only a pick folds it: not the window resized (layout).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pathname, filter]);

  // Esc folds the sidebar again, as it closes the other menus; the keyboard
  // goes back to Menu when it was inside. A dialog's or Follow Up's own Esc
  // (default prevented) is theirs.
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      setMenuOpen(false);
      if (document.getElementById('sidebar')?.contains(document.activeElement)) menuButton.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  // A new pane: if focus went away with the old one, put it where the work
  // continues: back on the conversation just left, or on the new pane's heading.
  const lastThread = useRef<string | undefined>(undefined);
  useEffect(() => {
    const left = lastThread.current;
    lastThread.current = threadId;
    // The row can be late (the list refetching after an archive and
    // unarchive, seconds on a busy machine): the heading holds focus until
    // it is there, for as long as nobody moved focus elsewhere.
    const row = () => (left ? document.querySelector<HTMLElement>(`[data-thread-id="${CSS.escape(left)}"] .thread-open`) : null);
    // A step that closed the conversation (Reassign, Report abuse) says what it did in a notice:
    // focus goes there, so it is read (a status inserted with its words in often is not), and
    // not to the row of a conversation that is no longer the volunteer's.
    if (done) return rescueFocus(() => document.querySelector<HTMLElement>('[data-done-notice]') ?? document.querySelector<HTMLElement>('.main-pane h1'), 10_000);
    // A conversation's heading takes focus where it is: the conversation opens at its latest
    // message, and in the one-column layout the heading is above it, out of view.
    return rescueFocus(() => document.querySelector<HTMLElement>('.main-pane h1'), 10_000, left ? row : undefined, !threadId);
    // done comes with the navigation that changes pathname.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pathname, threadId]);

  if (status.isPending) return <Loading />;
  // A sign-in the server ended took this computer's copy with it: sign-in says so.
  if (!status.data?.signedIn) return <Navigate to={status.data?.signInEnded ? '/signin' : '/'} replace />;
  // The server no longer accepts the sign-in: sign in again (the cache and pending changes stay).
  if (status.data.sessionExpired) return <Navigate to="/signin" replace />;

  const cls = ['shell', hasPane && 'has-pane', menuOpen && 'menu-open'].filter(Boolean).join(' ');
  return (
    <div className={cls}>
      {/* Shown in medium and narrow windows only: Menu (the sidebar), the campaign's name and, as a mail
          client's title names the folder, the filter the list shows when it is not All (the sidebar
          that says so is folded away). */}
      <header className="topbar">
        <button
          ref={menuButton}
          type="button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        {campaign && <CampaignName campaign={campaign} className="topbar-title" />}
        {filter !== 'all' && (
          <span className="topbar-filter">
            <span aria-hidden="true">· </span>
            {filterLabel(filter)}
          </span>
        )}
      </header>
      {/* A narrow window showing the list hides the pane: what it would say
          (a Reassign's or Block's outcome, texts not sent) shows here. */}
      {newsAbove && (
        <div className="shell-news">
          {done && (
            <p role="status" className="notice" tabIndex={-1} data-done-notice>
              {done}
            </p>
          )}
          <Notices />
        </div>
      )}
      <Sidebar footer={<AutoArchive />}>
        <Filters counts={counts} filter={filter} onSelect={setFilter} error={countsError} />
      </Sidebar>
      <ThreadList key={campaignId} />
      <main className="main-pane">
        {!newsAbove && <Notices />}
        <Suspense fallback={<PaneLoading />}>
          <Outlet />
        </Suspense>
      </main>
      <StatusBar />
      {/* Last in the page: a query for the pane's heading finds the pane on screen first. */}
      <WarmPane key={`warm:${campaignId}`} campaignId={campaignId} filter={filter} query={query} open={!!threadId} />
    </div>
  );
}

/** The inbox with nothing open: where to start, and what a step that closed the conversation did (Reassign, Block). */
function EmptyPane() {
  const done = (useLocation().state as { done?: string } | null)?.done;
  const { campaignId = '' } = useParams();
  const layout = useLayout();
  const hidden = layout === 'narrow'; // the shell shows it above the list
  return (
    <section className="pane empty-pane" aria-labelledby="inbox-title">
      <div>
        {done && !hidden && (
          <p role="status" className="notice" tabIndex={-1} data-done-notice>
            {done}
          </p>
        )}
        <h1 id="inbox-title">Inbox</h1>
        {/* Below the wide layout the actions are behind Menu: "an action" alone pointed nowhere on screen. */}
        <p className="muted">
          {layout === 'wide' ? 'Pick a conversation, or an action to start texting.' : 'Pick a conversation, or open Menu and pick an action to start texting.'}
        </p>
        <CampaignContact campaignId={campaignId} />
      </div>
    </section>
  );
}

function ThreadPage() {
  const { threadId = '' } = useParams();
  return <ThreadView key={threadId} threadId={threadId} />;
}

/**
 * Settings take the window, with the status bar under them when signed in, as every screen of a
 * signed-in window has it (DESIGN.md): the connection, a new reply's notice and Open, Shortcuts,
 * Sign out. Opened from sign-in (no one signed in), it is the page alone, as sign-in is.
 */
function SettingsPage() {
  const signedIn = useStatus().data?.signedIn ?? false;
  // The Settings pressed went with the screen it was on: focus goes to the heading, not the page (the
  // screen's code can come late; focus the volunteer moved meanwhile stays where they put it).
  useEffect(() => rescueFocus(() => document.getElementById('settings-title'), 10_000), []);
  if (!signedIn) {
    return (
      <main className="settings-page">
        <SettingsScreen />
      </main>
    );
  }
  return (
    <div className="solo">
      <main className="settings-page">
        <Notices />
        <SettingsScreen />
      </main>
      <StatusBar />
    </div>
  );
}
