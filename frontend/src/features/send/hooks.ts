import { useCallback, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  queue,
  release,
  sendInitial,
  sendNewText,
  skipContact,
  textAgain,
  type Batch,
  type Queue,
  type QueueItem,
} from '../../backend';
import { errorMessage } from '../../lib/format';
import { keys } from '../../lib/queryKeys';

/** The contacts handed to this volunteer in the action, and how many are left in it (-1 until the server has said). */
export function useQueue(actionId: string) {
  return useQuery({ queryKey: keys.queue(actionId), queryFn: () => queue(actionId) });
}

/** A contact as shown: who, and with which text. */
const shownKey = (i: QueueItem) => `${i.contactId}\n${i.body}`;

/**
 * The contacts on screen: the queue as the Go side has it, less the contacts
 * sent or skipped here. Send hides its contact in the same render as the
 * click, before the Go call is made, so the next contact is painted in the
 * next frame; a queue refetched while a send is on its way cannot bring the
 * contact back, and a failed send puts it back where it was. A contact is
 * hidden with the text sent, so one the server refused because the script
 * changed comes back with its new text (to Send new text).
 */
export function useSendQueue(actionId: string) {
  const q = useQueue(actionId);
  const [gone, setGone] = useState<ReadonlySet<string>>(() => new Set());
  const [errors, setErrors] = useState<string[]>([]);
  const items: QueueItem[] | undefined = q.data?.items.filter((i) => !gone.has(shownKey(i)));

  const hide = useCallback((item: QueueItem) => setGone((prev) => new Set(prev).add(shownKey(item))), []);
  const unhide = useCallback(
    (item: QueueItem) =>
      setGone((prev) => {
        const next = new Set(prev);
        next.delete(shownKey(item));
        return next;
      }),
    [],
  );

  // Sends on their way to the Go side. Each Go call runs on its own, so a
  // Text Again clicked right after the last Send could reach the server
  // before that text is even in the outbox; the server would then hand the
  // texted contacts back as still waiting, and the batch would look empty.
  const inFlight = useRef(new Set<Promise<void>>());
  const sent = useCallback(async () => {
    while (inFlight.current.size > 0) await Promise.allSettled([...inFlight.current]);
  }, []);

  const send = useCallback(
    (item: QueueItem) => {
      hide(item);
      // A new text after a script change is sent exactly as shown.
      const go = item.scriptChanged ? sendNewText(actionId, item.contactId, item.body) : sendInitial(actionId, item.contactId);
      const p = go
        .catch((err: unknown) => {
          unhide(item);
          setErrors((prev) => [...prev, `Could not send to ${item.name}: ${errorMessage(err)}`]);
        })
        .finally(() => inFlight.current.delete(p));
      inFlight.current.add(p);
    },
    [actionId, hide, unhide],
  );

  // A contact the script cannot be filled in for goes back to the campaign
  // (the server hands it to no one until the list or the script is
  // mended); kept, it would come back at every Text Again.
  const skip = useCallback(
    (item: QueueItem) => {
      hide(item);
      skipContact(actionId, item.contactId).catch((err: unknown) => {
        setErrors((prev) => [...prev, `Could not hand ${item.name} back to the campaign: ${errorMessage(err)}`]);
      });
    },
    [actionId, hide],
  );

  // After Text Again, the queue as the Go side has it is the truth again:
  // every send made here has reached it (sent), so nothing sent can come
  // back, and a contact hidden here that is still queued there (a send the
  // server refused for the hour, a skip that could not reach the server)
  // shows again instead of sitting unseen in "still waiting".
  const reveal = useCallback(() => setGone(new Set()), []);

  return { query: q, items, remaining: q.data?.remaining ?? -1, send, sent, skip, reveal, errors, clearErrors: () => setErrors([]) };
}

/** Text Again, once every send made on this screen has reached the Go side (see useSendQueue). */
export function useTextAgain(actionId: string, sent: () => Promise<void>, reveal: () => void) {
  const qc = useQueryClient();
  return useMutation<Batch>({
    mutationFn: async () => {
      await sent();
      return textAgain(actionId);
    },
    // Shown once the new queue is here, not over the one before it.
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: keys.queue(actionId) });
      reveal();
    },
    // The server's answer that no one is left teaches the Go side the count
    // (0): the queue is reloaded (onSuccess) before the answer shows, so the
    // screen says All done. A failure may have changed nothing, but the
    // queue is read again all the same.
    onError: () => qc.invalidateQueries({ queryKey: keys.queue(actionId) }),
  });
}

/**
 * Stop for now, once every send made on this screen has reached the Go side
 * (see useSendQueue): a text still on its way is not yet in the outbox the
 * Go side pushes before releasing, so its contact would be released with
 * the unsent ones and the text refused.
 */
export function useRelease(actionId: string, sent: () => Promise<void>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await sent();
      return release(actionId);
    },
    onSuccess: () => {
      qc.setQueryData<Queue>(keys.queue(actionId), (prev) => (prev ? { ...prev, items: [] } : prev));
    },
  });
}
