import { QueryClient } from '@tanstack/react-query';

/**
 * The cache of everything read from the Go side. Data is fresh until the Go
 * side says otherwise (its events drive invalidation, see useBackendEvents),
 * so nothing refetches on focus, on mount or on a timer, and a failed local
 * call is not retried: the error is shown instead.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: Infinity, gcTime: 5 * 60_000, retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
