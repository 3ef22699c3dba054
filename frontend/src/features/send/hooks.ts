import { useCallback, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queue, release, sendInitial, textAgain, type Queue, type QueueItem } from '../../backend';
import { errorMessage } from '../../lib/format';
import { keys } from '../../lib/queryKeys';

export function useQueue(actionId: string) {
  return useQuery({ queryKey: keys.queue(actionId), queryFn: () => queue(actionId) });
}

/**
 * The contacts on screen: the queue as the Go side has it, less the contacts
 * sent or skipped here. Send hides its contact in the same render as the
 * click, before the Go call is made, so the next contact is painted in the
 * next frame; a queue refetched while a send is on its way cannot bring the
 * contact back, and a failed send puts it back where it was.
 */
export function useSendQueue(actionId: string) {
  const q = useQueue(actionId);
  const [gone, setGone] = useState<ReadonlySet<string>>(() => new Set());
  const [errors, setErrors] = useState<string[]>([]);
  const items: QueueItem[] | undefined = q.data?.items.filter((i) => !gone.has(i.contactId));

  const hide = useCallback((id: string) => setGone((prev) => new Set(prev).add(id)), []);
  const unhide = useCallback(
    (id: string) =>
      setGone((prev) => {
        const next = new Set(prev);
        next.delete(id);
        return next;
      }),
    [],
  );

  const send = useCallback(
    (item: QueueItem) => {
      hide(item.contactId);
      sendInitial(actionId, item.contactId).catch((err: unknown) => {
        unhide(item.contactId);
        setErrors((prev) => [...prev, `Could not send to ${item.name}: ${errorMessage(err)}`]);
      });
    },
    [actionId, hide, unhide],
  );

  return { query: q, items, remaining: q.data?.remaining ?? -1, send, skip: hide, errors, clearErrors: () => setErrors([]) };
}

export function useTextAgain(actionId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => textAgain(actionId),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.queue(actionId) }),
  });
}

export function useRelease(actionId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => release(actionId),
    onSuccess: () => {
      qc.setQueryData<Queue>(keys.queue(actionId), (prev) => (prev ? { ...prev, items: [] } : prev));
    },
  });
}
