import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { markRead, sendReply, setOpenThread, thread } from '../../backend';
import { keys } from '../../lib/queryKeys';
import { patchRows } from '../inbox/hooks';

/** The read of a conversation's view, for useThread and for the list to start it as a row is pressed. */
export function threadQuery(threadId: string) {
  return { queryKey: keys.thread(threadId), queryFn: () => thread(threadId) };
}

/** The conversation's view; none (and no call) without an id, for the list, which may have none open. */
export function useThread(threadId: string | undefined) {
  return useQuery({ ...threadQuery(threadId ?? ''), enabled: !!threadId });
}

/**
 * While a conversation is on screen the Go side knows it (replies to it are read at
 * once, without a notification); opening it marks it read, and its row stops
 * being unread at once. On screen means in a window the volunteer is in: one
 * minimised or left for another app has nothing on screen, so a reply then is
 * unread and notified; coming back marks the conversation read again.
 */
export function useOpenThread(threadId: string, onError: (err: unknown) => void) {
  const qc = useQueryClient();
  useEffect(() => {
    const open = () => {
      void setOpenThread(threadId).catch(() => {});
      patchRows(qc, threadId, (t) => ({ ...t, unread: false }));
      markRead(threadId).catch(onError);
    };
    // Back only after away: a focus with nothing left first marks nothing again.
    let left = false;
    const away = () => {
      left = true;
      void setOpenThread('').catch(() => {});
    };
    const back = () => {
      if (!left) return;
      left = false;
      open();
    };
    const visibility = () => (document.visibilityState === 'hidden' ? away() : back());
    open();
    window.addEventListener('blur', away);
    window.addEventListener('focus', back);
    document.addEventListener('visibilitychange', visibility);
    return () => {
      window.removeEventListener('blur', away);
      window.removeEventListener('focus', back);
      document.removeEventListener('visibilitychange', visibility);
      away();
    };
    // onError is not a dependency: marking read once per opening.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [threadId, qc]);
}

/**
 * Sends a reply. onError runs even after the caller unmounted (unlike a
 * mutate() callback), so a refusal that lands once the volunteer has moved
 * on can still be said.
 */
export function useReply(threadId: string, onError?: (err: unknown) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { body: string; scriptId: string }) => sendReply(threadId, v.body, v.scriptId),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.thread(threadId) }),
    onError,
  });
}
