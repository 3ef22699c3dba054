import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { threads, type Counts, type FilterName, type ThreadSummary } from '../backend';
import { errorMessage, shortTime } from '../format';
import { actionTypeLabel, filters } from '../labels';

// ---- filters (left sidebar) ----

interface InboxFiltersProps {
  counts: Counts;
  filter: FilterName;
  onSelect: (f: FilterName) => void;
}

export function InboxFilters({ counts, filter, onSelect }: InboxFiltersProps) {
  return (
    <nav className="filters" aria-label="Inbox filters">
      <h2 className="sidebar-heading">Inbox</h2>
      <ul>
        {filters.map((f) => (
          <li key={f.name}>
            <button
              type="button"
              className={`filter${f.name === filter ? ' selected' : ''}`}
              aria-pressed={f.name === filter}
              onClick={() => onSelect(f.name)}
            >
              <span className="filter-name">{f.label}</span> <span className="count">{counts[f.name] ?? 0}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

// ---- thread list (middle column) ----

const pageSize = 200;
const rowHeight = 78;
const searchDelayMs = 200;

interface ThreadListProps {
  filter: FilterName;
  campaignId: string;
  /** Bumped when the inbox changed on the Go side: the loaded rows are refetched. */
  refreshKey: number;
  selectedId?: string;
  onOpen: (id: string) => void;
}

export function ThreadList({ filter, campaignId, refreshKey, selectedId, onOpen }: ThreadListProps) {
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<ThreadSummary[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState('');
  const rowsRef = useRef<ThreadSummary[]>([]);
  const seq = useRef(0);
  const lastKey = useRef('');
  const loadingMore = useRef(false);
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setQuery(input.trim()), searchDelayMs);
    return () => clearTimeout(timer);
  }, [input]);

  const put = useCallback((next: ThreadSummary[]) => {
    rowsRef.current = next;
    setRows(next);
  }, []);

  // (Re)load from the top. A refresh of the same list keeps as many rows as
  // were loaded, so the volunteer's scroll position survives live updates.
  useEffect(() => {
    const key = `${filter}|${campaignId}|${query}`;
    const sameList = key === lastKey.current;
    lastKey.current = key;
    const limit = sameList ? Math.max(pageSize, rowsRef.current.length) : pageSize;
    const mine = ++seq.current;
    loadingMore.current = false;
    if (!sameList) scrollRef.current?.scrollTo?.({ top: 0 });
    threads(filter, campaignId, query, 0, limit).then(
      (page) => {
        if (mine !== seq.current) return;
        put(page);
        setHasMore(page.length === limit);
        setLoaded(true);
        setError('');
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        setError(errorMessage(err));
        setLoaded(true);
      },
    );
  }, [filter, campaignId, query, refreshKey, put]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length > 0 ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (!hasMore || loadingMore.current || lastVisible < rows.length - 20) return;
    loadingMore.current = true;
    const mine = seq.current;
    threads(filter, campaignId, query, rows.length, pageSize).then(
      (page) => {
        if (mine !== seq.current) return;
        loadingMore.current = false;
        const seen = new Set(rowsRef.current.map((r) => r.id));
        put([...rowsRef.current, ...page.filter((r) => !seen.has(r.id))]);
        setHasMore(page.length === pageSize);
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        loadingMore.current = false;
        setError(errorMessage(err));
      },
    );
  }, [lastVisible, hasMore, rows.length, filter, campaignId, query, put]);

  // Arrow keys move between rows, scrolling rows that are not rendered yet into view.
  function onKey(e: ReactKeyboardEvent<HTMLDivElement>) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const current = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-index]');
    const at = current ? Number(current.dataset.index) : -1;
    let next = at;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, at + 1);
    if (e.key === 'ArrowUp') next = Math.max(0, at - 1);
    if (e.key === 'Home') next = 0;
    if (e.key === 'End') next = rows.length - 1;
    if (next < 0 || next === at) return;
    e.preventDefault();
    virtualizer.scrollToIndex(next, { align: 'auto' });
    const focus = () =>
      scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"] button`)?.focus();
    focus();
    requestAnimationFrame(focus);
  }

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
      {loaded && rows.length === 0 && !error && (
        <p className="muted empty">{query ? `No conversation matches "${query}".` : 'No conversations here.'}</p>
      )}
      <div className="list-scroll" ref={scrollRef} onKeyDown={onKey}>
        <div role="list" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const t = rows[v.index];
            if (!t) return null;
            return (
              <div
                key={t.id}
                role="listitem"
                data-index={v.index}
                className="row-wrap"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: v.size, transform: `translateY(${v.start}px)` }}
              >
                <ThreadRow t={t} selected={t.id === selectedId} onOpen={onOpen} />
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

function ThreadRow({ t, selected, onOpen }: { t: ThreadSummary; selected: boolean; onOpen: (id: string) => void }) {
  const cls = ['thread-row', t.unread && 'unread', selected && 'selected', t.needsAttention && 'attention']
    .filter(Boolean)
    .join(' ');
  return (
    <button
      type="button"
      className={cls}
      data-testid="thread-row"
      aria-current={selected ? 'true' : undefined}
      onClick={() => onOpen(t.id)}
    >
      <span className="row-top">
        <span className="contact">
          {t.unread && <span className="dot" aria-hidden="true" />}
          {t.contactName || t.contactPhone}
        </span>
        <time dateTime={t.lastMessageAt}>{shortTime(t.lastMessageAt)}</time>
      </span>
      <span className="preview">{t.lastMessage}</span>
      <span className="row-bottom">
        <span className={`type-label type-${t.actionType}`}>{actionTypeLabel(t.actionType)}</span>
        {t.unread && <span className="sr-only">, unread</span>}
        {t.needsAttention && <span className="badge">Needs attention</span>}
        {t.optedOut && <span className="badge muted">Opted out</span>}
      </span>
    </button>
  );
}
