import { useEffect, useLayoutEffect, useSyncExternalStore } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { appSettings, serverVersion, type SettingsView } from '../../backend';
import { keys } from '../../lib/queryKeys';

export function useAppSettings() {
  return useQuery({ queryKey: keys.appSettings, queryFn: appSettings });
}

export function useServerVersion() {
  return useQuery({ queryKey: keys.serverVersion, queryFn: serverVersion });
}

/**
 * One setter of the Settings service. Each control has its own, so a failure
 * is shown beside the control that caused it; the Go side answers with the
 * whole saved view, which replaces the cached one (and so re-applies the
 * theme and text size at once).
 */
export function useSetter<T>(set: (value: T) => Promise<SettingsView>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (value: T) => set(value),
    onSuccess: (view) => qc.setQueryData(keys.appSettings, view),
  });
}

/** Puts the theme and text size on the document: data-theme and the root font size. */
function applyAppearance(theme: string, textSize: number, root: HTMLElement = document.documentElement) {
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme; // "system": the CSS follows prefers-color-scheme
  // Go (prefs) keeps the size within its bounds; 0 is "not set yet".
  root.style.fontSize = textSize > 0 ? `${textSize}%` : '';
}

export type Layout = 'wide' | 'medium' | 'narrow';

/**
 * The layout a window widthPx wide allows with text of rootPx: the sidebar
 * folds behind Menu under 64 of the app's rem ("medium"), the list and the
 * open pane take turns under 52 ("narrow"). Media queries cannot say it:
 * their rem is the browser's default font size whatever the page's root
 * size, so a larger Text size never folded anything and pushed controls
 * off the window.
 */
export function layoutFor(widthPx: number, rootPx: number): Layout {
  const rem = widthPx / (rootPx > 0 ? rootPx : 16);
  return rem <= 52 ? 'narrow' : rem <= 64 ? 'medium' : 'wide';
}

function measureLayout(root: HTMLElement = document.documentElement): Layout {
  return layoutFor(window.innerWidth, parseFloat(getComputedStyle(root).fontSize));
}

// The layout in force, for the few components that render differently in
// it (the CSS reads data-layout on the document).
let layout: Layout = typeof window === 'undefined' ? 'wide' : measureLayout();
const layoutListeners = new Set<() => void>();

function applyLayout(root: HTMLElement = document.documentElement) {
  const next = measureLayout(root);
  root.dataset.layout = next;
  if (next !== layout) {
    layout = next;
    layoutListeners.forEach((f) => f());
  }
}

/** The layout in force (see layoutFor); components re-render when it changes. */
export function useLayout(): Layout {
  return useSyncExternalStore(
    (f) => {
      layoutListeners.add(f);
      return () => layoutListeners.delete(f);
    },
    () => layout,
  );
}

/** Keeps the document's look in step with the saved settings, from the app's start. */
export function useAppearance() {
  const { data } = useAppSettings();
  const theme = data?.theme;
  const size = data?.textSize;
  // Before the first paint, and again whenever the text size or the window changes.
  useLayoutEffect(() => {
    if (theme !== undefined && size !== undefined) applyAppearance(theme, size);
    applyLayout();
  }, [theme, size]);
  useEffect(() => {
    const onResize = () => applyLayout();
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
}
