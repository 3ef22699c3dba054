import { Activity, Component, Suspense, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import type { FilterName, ThreadSummary } from './backend';
import { keys } from './lib/queryKeys';
import { threadQuery } from './features/thread/hooks';
import { ThreadView } from './screens';

// The first conversation opened after launch waited for React to render the conversation's
// components for the first time (their code run for the first time): 65-570 ms to the pane's
// first render and as long again to its commit, where later opens take 6-25 ms
// (PERFORMANCE-LOG.md, "The first conversation opened after launch, again"). Once the inbox is
// on screen, the first row's conversation is rendered once, hidden, so the first real open is
// a warm render.

let wanted = false;
const listeners = new Set<() => void>();

/** main.tsx, once the inbox is on screen: the warm-up may start (never before the first paint). */
export function warmPaneNow() {
  wanted = true;
  listeners.forEach((l) => l());
}

/** Tests start each run afresh. */
export function resetWarmPane() {
  wanted = false;
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/**
 * The first row's conversation in a hidden Activity: React renders it at its lowest priority,
 * as display: none (out of the accessibility tree and of Tab's reach), and mounts none of its
 * effects, so nothing is marked read or opened and no query of it fetches. Its one call is the
 * read of the first row's conversation (a cache read on the Go side, the read a press on the row
 * starts). Gone, for good, once a conversation is open: its work is done, and the hidden copy
 * must not re-render with the screen's changes.
 */
export function WarmPane({ campaignId, filter, query, open }: { campaignId: string; filter: FilterName; query: string; open: boolean }) {
  const qc = useQueryClient();
  const want = useSyncExternalStore(subscribe, () => wanted);
  const [done, setDone] = useState(open);
  const [threadId, setThreadId] = useState('');
  if (open && !done) setDone(true);

  useEffect(() => {
    if (!want || done || threadId) return;
    const first = qc.getQueryData<InfiniteData<ThreadSummary[]>>(keys.threads(campaignId, filter, query))?.pages[0]?.[0];
    if (!first) return;
    let cancelled = false;
    // A read that fails leaves the warm-up out: the conversation's own open says why.
    void qc.prefetchQuery(threadQuery(first.id)).then(() => {
      if (!cancelled && qc.getQueryData(keys.thread(first.id))) setThreadId(first.id);
    });
    return () => {
      cancelled = true;
    };
  }, [want, done, threadId, qc, campaignId, filter, query]);

  if (done || !threadId) return null;
  return (
    <Activity mode="hidden">
      <Quiet>
        <Suspense fallback={null}>
          <ThreadView threadId={threadId} />
        </Suspense>
      </Quiet>
    </Activity>
  );
}

/** A warm-up that fails to render shows nothing: the screen around it must not give way to an error. */
class Quiet extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? null : this.props.children;
  }
}
