// Renders the app, or one screen inside the app's providers, at a route.
import type { ReactElement } from 'react';
import { act, render } from '@testing-library/react';
import { onTestFinished } from 'vitest';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, type RouteObject } from 'react-router';
import { App, routes } from '../App';
import { makeQueryClient } from '../lib/queryClient';
import type { Campaign } from '../backend';
import * as fake from './fakeBackend';
import { aCampaign, anAction, aStatus, aSummary, someAppSettings } from './fixtures';

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

/**
 * The whole window at `path`, `width` px wide (the layout follows it: 1024 folds
 * the sidebar behind Menu), signed in to one campaign (`campaign` changes it)
 * with one action and one conversation. No Text size is set, so the root keeps
 * jsdom's 16 px. The width is put back when the test ends.
 */
export function renderShell(path: string, { width, campaign }: { width: number; campaign?: Partial<Campaign> }) {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue([aCampaign(campaign)]);
  fake.actions.mockResolvedValue([anAction()]);
  fake.threads.mockResolvedValue([aSummary(1)]);
  fake.appSettings.mockResolvedValue(someAppSettings({ textSize: 0 }));
  const was = window.innerWidth;
  window.innerWidth = width;
  onTestFinished(() => {
    window.innerWidth = was;
    act(() => window.dispatchEvent(new Event('resize')));
  });
  return renderApp(path);
}
