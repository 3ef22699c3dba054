import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { discardFailing, dismissRejected, outbox } from '../../backend';
import { keys } from '../../lib/queryKeys';

export function useOutbox() {
  return useQuery({ queryKey: keys.outbox, queryFn: outbox });
}

export function useDismissRejected() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => dismissRejected(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.outbox }),
  });
}

/** Gives up on a change the campaign server keeps failing; the inbox and queue hear what it undid through inbox:changed. */
export function useDiscardFailing() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => discardFailing(id),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.outbox }),
  });
}
