import { useEffect } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
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
import { Start, Loading } from './features/session/Start';
import { SignIn } from './features/session/SignIn';
import { SignUp } from './features/session/SignUp';
import { rememberCampaign, useStatus } from './features/session/hooks';
import { JoinPage } from './features/campaigns/JoinPage';
import { ActionIntroPage, JoinAnotherPage, SendPage } from './features/campaigns/pages';
import { Sidebar } from './features/campaigns/Sidebar';
import { Filters } from './features/inbox/Filters';
import { ThreadList } from './features/inbox/ThreadList';
import { AutoArchive } from './features/inbox/AutoArchive';
import { useCounts, useInboxParams } from './features/inbox/hooks';
import { ThreadView } from './features/thread/ThreadView';
import { AdminPage } from './features/admin/AdminPage';
import { Outbox } from './features/outbox/Outbox';
import { StatusBar } from './features/outbox/StatusBar';
import { Notices, NoticesProvider, useNotices } from './features/outbox/notices';
import { SettingsScreen } from './features/settings/Settings';
import { useAppearance } from './features/settings/hooks';

// The screens are routes: the back button, a notification's "open this
// thread" and every link are one navigate call. The URL (a hash, as the
// window is a single page) holds the campaign, the open thread or action,
// and the inbox filter and search.
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Root />,
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
          { index: true, element: <EmptyPane /> },
          { path: 'thread/:threadId', element: <ThreadPage /> },
          { path: 'action/:actionId', element: <ActionIntroPage /> },
          { path: 'action/:actionId/send', element: <SendPage /> },
          { path: 'outbox', element: <Outbox /> },
          { path: 'join', element: <JoinAnotherPage /> },
          { path: 'admin', element: <AdminPage /> },
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
        <RouterProvider router={router} />
      </NoticesProvider>
    </QueryClientProvider>
  );
}

/** Listens to the Go side for the whole window. */
function Root() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const notices = useNotices();
  useBackendEvents({
    onReply: notices.setLastReply,
    onRejected: notices.addRejected,
    // A notification's "open this thread": one navigate, in the campaign on screen.
    onOpenThread: (id) => {
      const campaign = pathname.match(/^\/c\/([^/]+)/)?.[1];
      if (campaign) navigate(`/c/${campaign}/thread/${id}`);
    },
    onOpenFilter: (filter) => {
      const campaign = pathname.match(/^\/c\/([^/]+)/)?.[1];
      if (campaign) navigate(`/c/${campaign}?filter=${encodeURIComponent(filter)}`);
    },
  });
  useHistoryKeys();
  useAppearance();
  return <Outlet />;
}

/** The mouse's back and forward buttons and Alt+Left/Right move through the window's history. */
function useHistoryKeys() {
  const navigate = useNavigate();
  useEffect(() => {
    const onMouse = (e: MouseEvent) => {
      if (e.button === 3) navigate(-1);
      if (e.button === 4) navigate(1);
    };
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'ArrowLeft') navigate(-1);
      if (e.key === 'ArrowRight') navigate(1);
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
  const { campaignId = '', filter, setFilter } = useInboxParams();
  const status = useStatus();
  const counts = useCounts(campaignId).data ?? {};

  useEffect(() => {
    if (campaignId) rememberCampaign(campaignId);
  }, [campaignId]);

  if (status.isPending) return <Loading />;
  if (!status.data?.signedIn) return <Navigate to="/" replace />;

  return (
    <div className="shell">
      <Sidebar>
        <Filters counts={counts} filter={filter} onSelect={setFilter} />
        <AutoArchive />
      </Sidebar>
      <ThreadList key={campaignId} />
      <main className="main-pane">
        <Notices />
        <Outlet />
      </main>
      <StatusBar />
    </div>
  );
}

function EmptyPane() {
  return (
    <section className="pane empty-pane">
      <p className="muted">Pick a conversation, or an action to start texting.</p>
    </section>
  );
}

function ThreadPage() {
  const { threadId = '' } = useParams();
  return <ThreadView key={threadId} threadId={threadId} />;
}

function SettingsPage() {
  return (
    <div className="settings-page">
      <SettingsScreen />
    </div>
  );
}
