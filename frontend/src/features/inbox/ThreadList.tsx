import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ThreadSummary } from '../../backend';
import { errorMessage, shortTime } from '../../lib/format';
import { actionTypeLabel, archivedReasonLabel } from '../../lib/labels';
import { sayReady } from '../../lib/ready';
import { useArchive, useInboxNavigate, useInboxParams, useThreadList } from './hooks';

const rowHeight = 78;
const searchDelayMs = 150;

/** The middle column: the current filter's conversations, virtualised, searchable. */
export function ThreadList() {
  const { campaignId, threadId, filter, query, setQuery } = useInboxParams();
  const open = useInboxNavigate();
  const [input, setInput] = useState(query);
  const list = useThreadList(campaignId, filter, query);
  const archive = useArchive();
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const q = input.trim();
    if (q === query) return;
    const timer = setTimeout(() => setQuery(q), searchDelayMs);
    return () => clearTimeout(timer);
  }, [input, query, setQuery]);

  // The first list on screen (even an empty one) is the end of start-up.
  const shown = list.isSuccess;
  useEffect(() => {
    if (shown) sayReady();
  }, [shown]);

  // A new filter or search starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo?.({ top: 0 });
  }, [filter, query, campaignId]);

  const rows = list.data?.pages.flat() ?? [];
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length > 0 ? items[items.length - 1].index : -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastVisible >= rows.length - 20) void fetchNextPage();
  }, [lastVisible, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  function toggleArchive(t: ThreadSummary) {
    archive.mutate({ threadId: t.id, archived: !t.archived });
  }

  function focusRow(i: number) {
    virtualizer.scrollToIndex(i, { align: 'auto' });
    const focus = () => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${i}"] .thread-open`)?.focus();
    focus();
    requestAnimationFrame(focus);
  }

  // Arrow keys move between rows (scrolling rows not rendered yet into view); E archives the focused row.
  function onKey(e: ReactKeyboardEvent<HTMLDivElement>) {
    const current = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-index]');
    const at = current ? Number(current.dataset.index) : -1;
    if ((e.key === 'e' || e.key === 'E') && !e.ctrlKey && !e.metaKey && !e.altKey && at >= 0 && rows[at]) {
      e.preventDefault();
      toggleArchive(rows[at]);
      // Keep the keyboard in the list: the next row takes the place of the one archived.
      if (rows.length > 1) requestAnimationFrame(() => focusRow(Math.min(at, rows.length - 2)));
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    let next = at;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, at + 1);
    if (e.key === 'ArrowUp') next = Math.max(0, at - 1);
    if (e.key === 'Home') next = 0;
    if (e.key === 'End') next = rows.length - 1;
    if (next < 0 || next === at) return;
    e.preventDefault();
    focusRow(next);
  }

  const error = list.isError ? errorMessage(list.error) : archive.isError ? errorMessage(archive.error) : '';

  return (
    <section className="thread-list" aria-label="Conversations">
      <div className="list-search">
        <label htmlFor="thread-search" className="sr-only">
          Search by name or number
        </label>
        <input
          id="thread-search"
          type="search"
          placeholder="Search by name or number"
          value={input}
          onChange={(e) => setInput(e.target.value)}
        />
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {list.isSuccess && rows.length === 0 && (
        <p className="muted empty">{query ? `No conversation matches "${query}".` : 'No conversations here.'}</p>
      )}
      <div className="list-scroll" ref={scrollRef} onKeyDown={onKey}>
        <div role="list" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const t = rows[v.index];
            if (!t) return null;
            return (
              <ThreadRow
                key={t.id}
                t={t}
                index={v.index}
                top={v.start}
                height={v.size}
                selected={t.id === threadId}
                onOpen={() => open(`/thread/${t.id}`)}
                onArchive={() => toggleArchive(t)}
              />
            );
          })}
        </div>
      </div>
    </section>
  );
}

interface ThreadRowProps {
  t: ThreadSummary;
  index: number;
  top: number;
  height: number;
  selected: boolean;
  onOpen: () => void;
  onArchive: () => void;
}

function ThreadRow({ t, index, top, height, selected, onOpen, onArchive }: ThreadRowProps) {
  const cls = ['thread-row', t.unread && 'unread', selected && 'selected', t.needsAttention && 'attention']
    .filter(Boolean)
    .join(' ');
  const who = t.contactName || t.contactPhone;
  const reason = t.archived ? archivedReasonLabel(t.archivedReason || 'user') : '';
  return (
    <div
      role="listitem"
      data-index={index}
      data-testid="thread-row"
      className={cls}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, height, transform: `translateY(${top}px)` }}
    >
      <button
        type="button"
        className="thread-open"
        aria-current={selected ? 'true' : undefined}
        aria-keyshortcuts="E"
        onClick={onOpen}
      >
        <span className="row-top">
          <span className="contact">
            {t.unread && <span className="dot" aria-hidden="true" />}
            {who}
          </span>
          <time dateTime={t.lastMessageAt}>{shortTime(t.lastMessageAt)}</time>
        </span>
        <span className="preview">{t.lastMessage}</span>
        <span className="row-bottom">
          <span className={`type-label type-${t.actionType}`}>{actionTypeLabel(t.actionType)}</span>
          {t.unread && <span className="sr-only">, unread</span>}
          {t.needsAttention && <span className="badge">Needs attention</span>}
          {t.optedOut && <span className="badge muted">Opted out</span>}
          {reason && <span className="reason muted">{reason}</span>}
        </span>
      </button>
      <button
        type="button"
        className="row-archive"
        title={`${t.archived ? 'Unarchive' : 'Archive'} (E)`}
        onClick={onArchive}
        tabIndex={-1}
      >
        {t.archived ? 'Unarchive' : 'Archive'}
      </button>
    </div>
  );
}
