import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useNavigationType } from 'react-router';
import type { ThreadSummary } from '../../backend';
import { errorSentence, plural } from '../../lib/format';
import { emptyListText } from '../../lib/labels';
import { sayReady } from '../../lib/ready';
import { notAShortcut } from '../../lib/keys';
import { focusWhenDrawn } from '../../lib/focus';
import { useIsAdmin } from '../admin/hooks';
import { threadQuery, useThread } from '../thread/hooks';
import { useArchive, useInboxNavigate, useInboxParams, useThreadList } from './hooks';
import { heldNote, useHeldOrder } from './heldOrder';
import { ThreadRow } from './ThreadRow';

// A first guess at a row's height in rem; rows are measured once drawn, so they grow with the text size.
const rowHeightRem = 5.2;
const searchDelayMs = 150;

/**
 * The middle column: the current filter's conversations, virtualised,
 * searchable. Memoised (it takes no props): the shell re-renders on every
 * status event (each send changes the pending count), and the list has
 * nothing to redraw then.
 */
export const ThreadList = memo(function ThreadList() {
  const { campaignId, threadId, filter, query, setQuery, setFilter } = useInboxParams();
  const isAdmin = useIsAdmin(campaignId);
  const open = useInboxNavigate();
  const [input, setInput] = useState(query);
  // A search the URL brings from elsewhere (Back, a notification's Unread, which has none) is
  // shown in the box, not overwritten by the box's old words. The box's own writes replace the
  // history entry, so they are never taken back in (words typed meanwhile stay).
  const navigation = useNavigationType();
  const [seen, setSeen] = useState(query);
  if (query !== seen) {
    setSeen(query);
    if (navigation !== 'REPLACE') setInput(query);
  }
  const list = useThreadList(campaignId, filter, query);
  const archive = useArchive();
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  // The one row Tab stops on (roving tabindex): the list is one stop, arrows move inside it.
  const [activeId, setActiveId] = useState<string | undefined>(undefined);

  useEffect(() => {
    const q = input.trim();
    if (q === query) return;
    const timer = setTimeout(() => setQuery(q), searchDelayMs);
    return () => clearTimeout(timer);
  }, [input, query, setQuery]);

  // The first list on screen (even an empty one) is the end of start-up.
  const shown = list.isSuccess;
  const firstRows = list.data?.pages[0]?.length ?? 0;
  useEffect(() => {
    if (shown) sayReady(firstRows);
  }, [shown, firstRows]);

  // A new filter or search starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo?.({ top: 0 });
  }, [filter, query, campaignId]);

  const pages = list.data?.pages;
  const { rows, waiting, holdProps } = useHeldOrder(pages, `${campaignId}\n${filter}\n${query}`);
  // Read once per render, not per row: the virtualiser asks for every row's
  // estimate (200 at start), and each getComputedStyle call cost as much as a
  // style pass (80 ms of the first render in a profile).
  const estimate = rowHeightRem * rootFontPx();
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    // The list is not laid out at the first render: without a size, the
    // virtualiser would draw no rows, measure the list, and draw again. The
    // window's height is a little more than the list's, so the first render
    // already has the rows on screen (and a few below).
    initialRect: { width: 0, height: window.innerHeight },
    estimateSize: () => estimate,
    overscan: 8,
    getItemKey: (i) => rows[i]?.id ?? i,
    // Rows are as tall as their text; one not laid out (0 high) keeps the estimate.
    measureElement: (el, entry) => {
      const h = entry?.borderBoxSize?.[0]?.blockSize ?? (el as HTMLElement).offsetHeight;
      return h > 0 ? h : estimate;
    },
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length > 0 ? items[items.length - 1].index : -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastVisible >= rows.length - 20) void fetchNextPage();
  }, [lastVisible, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // E on a row: the row that takes the archived one's place, by id, gets focus once the archived
  // one has left the list (the archive first cancels the list's fetches, so not in a set frame).
  const focusAfter = useRef<{ gone: string; next?: string } | null>(null);
  // The row leaves and focus moves on to the next, which is what a screen reader then reads: the
  // outcome is said as well, as the conversation's own Archive says it.
  const [said, setSaid] = useState('');
  function toggleArchive(t: ThreadSummary) {
    setSaid('');
    archive.mutate(
      { threadId: t.id, archived: !t.archived },
      {
        onSuccess: () => setSaid(t.archived ? `Moved ${t.contactName} back to the inbox` : `Archived ${t.contactName}`),
        onError: () => {
          if (focusAfter.current?.gone === t.id) focusAfter.current = null;
        },
      },
    );
  }
  // The rows' handlers keep their identity across renders (they read the
  // latest render through a ref), so a row whose conversation, place and state did
  // not change is not drawn again when another row moves.
  const latest = useRef({ open, archiveRow });
  latest.current = { open, archiveRow };
  const onOpenRow = useCallback((t: ThreadSummary) => latest.current.open(`/thread/${t.id}`), []);
  // A press starts the conversation's read, which then runs while the button is held (a click is
  // some 50-150 ms), and the conversation often opens with its messages in its first render.
  const qc = useQueryClient();
  const onPressRow = useCallback((t: ThreadSummary) => void qc.prefetchQuery(threadQuery(t.id)), [qc]);
  // The row's own Archive button (reached by a screen reader's browse mode, or clicked) leaves with
  // the row, as E does: focus goes on to the row in its place, not to the page.
  const onArchiveRow = useCallback((t: ThreadSummary) => latest.current.archiveRow(t), []);

  // Keep the keyboard in the list: the next row (the one before, at the end) once this one has left.
  // Only when focus is in the row (or nowhere): a click that left focus elsewhere keeps it there.
  function archiveRow(t: ThreadSummary) {
    const at = rows.findIndex((r) => r.id === t.id);
    const active = document.activeElement;
    const inRow = !active || active === document.body || !!active.closest(`[data-thread-id="${CSS.escape(t.id)}"]`);
    if (at >= 0 && inRow) focusAfter.current = { gone: t.id, next: (rows[at + 1] ?? rows[at - 1])?.id };
    toggleArchive(t);
  }

  // By the row's conversation id, not its place: a row focused by its place can be one about to leave.
  function focusRow(i: number) {
    const id = rows[i]?.id;
    if (!id) return;
    virtualizer.scrollToIndex(i, { align: 'auto' });
    stopFocusing.current();
    const row = () => scrollRef.current?.querySelector<HTMLElement>(`[data-thread-id="${CSS.escape(id)}"] .thread-open`) ?? null;
    stopFocusing.current = focusWhenDrawn(row, () => scrollRef.current);
  }
  const stopFocusing = useRef(() => {});
  const focusRowRef = useRef(focusRow);
  focusRowRef.current = focusRow;

  useEffect(() => {
    const f = focusAfter.current;
    if (!f || rows.some((r) => r.id === f.gone)) return;
    focusAfter.current = null;
    const i = f.next ? rows.findIndex((r) => r.id === f.next) : -1;
    // The last row gone (or its neighbour with it): the search box, not the page body.
    if (i >= 0) focusRowRef.current(i);
    else searchRef.current?.focus();
    // rows follows pages (the pointer's hold re-orders rows, it takes none out).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pages]);

  // Where the open conversation sat while the list held it: archived (E, Archive, a report with
  // Automatic Archive) it leaves the list but stays open, and J and K go on from its place.
  const openPlace = useRef<{ id: string; at: number; prev?: string; next?: string } | null>(null);
  const openAt = threadId ? rows.findIndex((r) => r.id === threadId) : -1;
  if (threadId && openAt >= 0) openPlace.current = { id: threadId, at: openAt, prev: rows[openAt - 1]?.id, next: rows[openAt + 1]?.id };

  // Arrow keys move between rows (scrolling rows not rendered yet into view); E archives the focused row.
  function onKey(e: ReactKeyboardEvent<HTMLDivElement>) {
    const current = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-index]');
    const at = current ? Number(current.dataset.index) : -1;
    if ((e.key === 'e' || e.key === 'E') && !e.ctrlKey && !e.metaKey && !e.altKey && at >= 0 && rows[at]) {
      e.preventDefault();
      archiveRow(rows[at]);
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

  // J and K open the next and previous conversation; / goes to the search box.
  const keyRef = useRef<(e: KeyboardEvent) => void>(() => {});
  keyRef.current = (e: KeyboardEvent) => {
    if (notAShortcut(e)) return;
    if (e.key === '/') {
      e.preventDefault();
      searchRef.current?.focus();
      return;
    }
    if (e.key !== 'j' && e.key !== 'k') return;
    const at = rows.findIndex((r) => r.id === threadId);
    let next = e.key === 'j' ? at + 1 : at < 0 ? 0 : at - 1;
    const was = openPlace.current;
    if (at < 0 && threadId && was?.id === threadId) {
      // Gone from the list: its old neighbours, else the row now in its place (J) or before it (K).
      const near = rows.findIndex((r) => r.id === (e.key === 'j' ? was.next : was.prev));
      next = near >= 0 ? near : e.key === 'j' ? was.at : was.at - 1;
    }
    if (next < 0 || next >= rows.length) return;
    e.preventDefault();
    open(`/thread/${rows[next].id}`);
    focusRow(next);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keyRef.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const rendered = new Set(items.map((v) => rows[v.index]?.id));
  const tabStop = [activeId, threadId].find((id) => id && rendered.has(id)) ?? rows[items[0]?.index ?? 0]?.id;

  const error = list.isError ? errorSentence(list.error) : archive.isError ? errorSentence(archive.error) : '';

  // The open conversation leaves the list when archived (or, in Archive, unarchived), from its
  // row or its header, and stays open. When this search listed it and nothing else, the empty
  // list says where it went. (The pane's own query: no call of its own.)
  const openArchived = useThread(threadId).data?.thread.archived;
  const here = `${campaignId}\n${filter}\n${query}\n${threadId ?? ''}`;
  const listsOpen = !!threadId && rows.some((r) => r.id === threadId);
  const [listedHere, setListedHere] = useState('');
  useEffect(() => {
    if (listsOpen) setListedHere(here);
  }, [listsOpen, here]);
  const moved = openArchived === undefined || listsOpen || listedHere !== here ? undefined : openArchived === (filter !== 'archive');
  const openMoved = moved ? (openArchived ? 'archived' : 'unarchived') : undefined;

  // What a search found, once its own list is in (not the list before it, kept on screen meanwhile):
  // the rows change under the search box, and a screen reader in the box heard nothing of it.
  const found =
    query && list.isSuccess && !list.isPlaceholderData
      ? `${list.hasNextPage ? 'More than ' : ''}${plural(rows.length, 'conversation')} found`
      : '';

  return (
    <section className="thread-list" aria-label="Conversations">
      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="row-archive-announcement">
        {said}
      </p>
      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="search-announcement">
        {found}
      </p>
      <div className="list-search">
        <label htmlFor="thread-search" className="sr-only">
          Search by name or number
        </label>
        <input
          id="thread-search"
          ref={searchRef}
          aria-keyshortcuts="/"
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
        <p className="muted empty">
          {emptyListText(filter, query, isAdmin, openMoved)}
          {/* Unread, Needs Attention and the type filters hold only some conversations (one
              that was answered or opted out leaves Needs Attention while open): All may have
              it. Every filter but Archive leaves archived conversations out: Archive may. */}
          {query && filter !== 'all' && filter !== 'archive' && (
            <>
              {' '}
              <button type="button" className="link" onClick={() => setFilter('all')}>
                Search All
              </button>
              <span> or</span>
            </>
          )}
          {query && filter !== 'archive' && (
            <>
              {' '}
              <button type="button" className="link" onClick={() => setFilter('archive')}>
                Search the Archive
              </button>
            </>
          )}
        </p>
      )}
      {/* Over the rows, not above them: a line pushing the list down would move the row under the pointer.
          The live region stays in the list whether or not anything waits: many screen readers say nothing
          of one that comes with its words, only of words changing in one already there. Its words change
          only with the count, so it is heard once per count, not on each render. */}
      <div role="status">{waiting > 0 && <p className="list-held muted">{heldNote(waiting)}</p>}</div>
      <div className="list-scroll" ref={scrollRef} onKeyDown={onKey} {...holdProps}>
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
                measure={virtualizer.measureElement}
                tabbable={t.id === tabStop}
                onFocus={setActiveId}
                selected={t.id === threadId}
                onOpen={onOpenRow}
                onPress={onPressRow}
                onArchive={onArchiveRow}
              />
            );
          })}
        </div>
      </div>
    </section>
  );
});

/** The root font size in px: rem-sized rows follow the volunteer's text size. */
function rootFontPx(): number {
  const px = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(px) && px > 0 ? px : 16;
}
