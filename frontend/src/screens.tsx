import { lazy } from 'react';

// The screens the cached inbox does not need at start are separate chunks,
// loaded when first shown: the window parses a smaller bundle before the
// inbox appears. Once the inbox is on screen they are fetched in the
// background (preloadScreens), so opening one later does not wait either.
const loaders = {
  signIn: () => import('./features/session/SignIn'),
  signUp: () => import('./features/session/SignUp'),
  join: () => import('./features/campaigns/JoinPage'),
  pages: () => import('./features/campaigns/pages'),
  thread: () => import('./features/thread/ThreadView'),
  admin: () => import('./features/admin/AdminPage'),
  outbox: () => import('./features/outbox/Outbox'),
  settings: () => import('./features/settings/Settings'),
};

export const SignIn = lazy(() => loaders.signIn().then((m) => ({ default: m.SignIn })));
export const SignUp = lazy(() => loaders.signUp().then((m) => ({ default: m.SignUp })));
export const JoinPage = lazy(() => loaders.join().then((m) => ({ default: m.JoinPage })));
export const ActionIntroPage = lazy(() => loaders.pages().then((m) => ({ default: m.ActionIntroPage })));
export const SendPage = lazy(() => loaders.pages().then((m) => ({ default: m.SendPage })));
export const JoinAnotherPage = lazy(() => loaders.pages().then((m) => ({ default: m.JoinAnotherPage })));
export const ThreadView = lazy(() => loaders.thread().then((m) => ({ default: m.ThreadView })));
export const AdminPage = lazy(() => loaders.admin().then((m) => ({ default: m.AdminPage })));
export const Outbox = lazy(() => loaders.outbox().then((m) => ({ default: m.Outbox })));
export const SettingsScreen = lazy(() => loaders.settings().then((m) => ({ default: m.SettingsScreen })));

/** Fetches every lazy screen's chunk, the conversation first (the likeliest next step). */
export function preloadScreens() {
  // A chunk that fails to load here is loaded (and its error shown) when its screen opens.
  void loaders
    .thread()
    .then(() => Promise.all(Object.values(loaders).map((load) => load())))
    .catch(() => {});
}
