import { useQuery } from '@tanstack/react-query';
import { initialLockHours } from '../backend';
import { keys } from './queryKeys';
import { plural } from './format';

/**
 * "6 hours": how long a number is spared a second first text, in words, from
 * Go's rule (texting.InitialLock); "a few hours" until the Go side answers.
 */
export function useInitialLockHours(): string {
  const hours = useQuery({ queryKey: keys.initialLockHours, queryFn: initialLockHours, staleTime: Infinity }).data;
  if (hours === undefined) return 'a few hours';
  return plural(hours, 'hour');
}
