// Renders the app, or one screen inside the app's providers, at a route.
import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, type RouteObject } from 'react-router';
import { App, routes } from '../App';
import { makeQueryClient } from '../lib/queryClient';

/** The whole window at `path` (e.g. "/c/c1/thread/t1?filter=unread", or a location with its state). */
export function renderApp(path: string | { pathname: string; state?: unknown } = '/') {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const queryClient = makeQueryClient();
  const utils = render(<App router={router} queryClient={queryClient} />);
  return { ...utils, router, queryClient, user: userEvent.setup() };
}

/**
 * One screen with the app's providers, mounted at `pattern` and opened at
 * `path`, with a catch-all route so navigations away can be checked on
 * router.state.location.
 */
export function renderScreen(ui: ReactElement, { pattern = '/', path }: { pattern?: string; path?: string } = {}) {
  const screenRoutes: RouteObject[] = [
    { path: pattern, element: ui },
    { path: '*', element: <p>elsewhere</p> },
  ];
  const router = createMemoryRouter(screenRoutes, { initialEntries: [path ?? pattern] });
  const queryClient = makeQueryClient();
  const utils = render(<App router={router} queryClient={queryClient} />);
  return { ...utils, router, queryClient, user: userEvent.setup() };
}
