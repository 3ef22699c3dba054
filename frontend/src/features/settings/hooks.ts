import { useEffect } from 'react';
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
  root.style.fontSize = textSize >= 75 && textSize <= 200 ? `${textSize}%` : '';
}

/** Keeps the document's look in step with the saved settings, from the app's start. */
export function useAppearance() {
  const { data } = useAppSettings();
  const theme = data?.theme;
  const size = data?.textSize;
  useEffect(() => {
    if (theme !== undefined && size !== undefined) applyAppearance(theme, size);
  }, [theme, size]);
}
