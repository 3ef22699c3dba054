import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { dismissRejected, outbox } from '../../backend';
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
