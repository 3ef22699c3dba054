package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/textbank/textbank/backend/api"
)

// A thread row holds the thread as the server (or an optimistic change) last
// described it, plus derived columns the inbox filters and sorts on. The
// derived columns merge three sources: that base state, the messages and
// reports held locally (which may be newer, or not yet on the server), and
// the effects of its mutations still waiting in the outbox. The flags come
// from backend/inbox, so SQL filters and the rules agree.
//
// Writes go through a batch: one write transaction's prepared statements and
// what it already knows about threads, so that a sync page costs a few
// statements per row and each touched thread's derived columns are worked
// out once, at the end, from a handful of queries for the whole batch.

// derived is a thread's computed columns, as stored.
type derived struct {
	lastMessageAt               int64
	lastBody                    string
	in, out, read, report       sql.NullInt64
	archived, optedOut, blocked int
	unread, attention           int
	optOutUndecided             int    // a likely opt-out waits for a report (inbox.OptOutUndecided)
	unanswered                  int    // the contact's latest reply has no answer (inbox.Answered)
	reason                      string // archived_reason: why an archived thread is archived
	reassignedFrom              string // who handed it to this user, '' if nobody did
}

// indexedEqual: the columns the inbox's indexes and counts depend on.
func (d derived) indexedEqual(o derived) bool {
	return d.lastMessageAt == o.lastMessageAt && d.archived == o.archived && d.unread == o.unread && d.attention == o.attention
}

// batch is one write transaction's statements and thread knowledge.
type batch struct {
	tx     *sql.Tx
	stmts  map[string]*sql.Stmt
	shared *stmtCache // nil: statements prepared for this transaction alone
	// index, when set, is handed the rows insertThread writes, which it
	// then need not read back (see searchIndex.noteRow).
	index *searchIndex
	// base is the base state of threads written in this transaction, and
	// written what their derived columns hold now (nil: not known here).
	base    map[string]api.Thread
	written map[string]*derived
	// exists caches whether a thread row is there, with its name and number.
	exists map[string]*namePhone
	// pending are new threads of a sync page not inserted yet: refresh
	// inserts them with their derived columns, once the page's messages are
	// in, so each new row is written once.
	pending map[string]pendingThread
	touched []string
	isTouch map[string]bool
	// shown is each refreshed thread's name, number, campaign and blocked and opted-out flags, for the
	// new-message notifications of a page; a thread the page deletes leaves it.
	shown map[string]shownThread
	// handedAt is, for each thread this page brought handed over (new to
	// the cache), the index of its change in the page: the thread's
	// messages before it are its history (news); arrived is the index of
	// each new inbound message's change.
	handedAt, arrived map[string]int
	// autoArchive is the Automatic Archive Setting once a pending report
	// needed it.
	autoArchive *bool
	// tagging is, by action id, its response scripts that file report
	// tags (loadScriptTags), once a pending reply queued without its
	// answer kept needed them.
	tagging map[string]map[string]bool
}

type namePhone struct {
	name, phone string
	// optedOut: the thread was opted out before this page (a lift that
	// ends it is news for the volunteer: NewOptedBackIn).
	optedOut bool
}

type pendingThread struct {
	raw        []byte
	fromServer bool
}

type shownThread struct {
	name, phone, campaign string
	blocked, optedOut     bool
}

func newBatch(tx *sql.Tx) *batch {
	return &batch{tx: tx, stmts: map[string]*sql.Stmt{}, base: map[string]api.Thread{}, written: map[string]*derived{},
		exists: map[string]*namePhone{}, pending: map[string]pendingThread{}, isTouch: map[string]bool{}, shown: map[string]shownThread{},
		handedAt: map[string]int{}, arrived: map[string]int{}}
}

// stmt prepares a query once per batch (or takes the cache's prepared
// statement, when the batch has them: shared).
func (b *batch) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := b.stmts[query]; ok {
		return s, nil
	}
	var s *sql.Stmt
	var err error
	if b.shared != nil {
		s, err = b.shared.in(ctx, b.tx, query)
	} else {
		s, err = b.tx.PrepareContext(ctx, query)
	}
	if err != nil {
		return nil, err
	}
	b.stmts[query] = s
	return s, nil
}

func (b *batch) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := b.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (b *batch) close() {
	for _, s := range b.stmts {
		_ = s.Close()
	}
}

func (b *batch) touch(id string) {
	if !b.isTouch[id] {
		b.isTouch[id] = true
		b.touched = append(b.touched, id)
	}
}

// forget drops what the batch knows of threads after rows were deleted
// (pending inserts must have been flushed first).
func (b *batch) forget() {
	clear(b.base)
	clear(b.written)
	clear(b.exists)
}

// forgetThread drops what the batch knows of thread id, and its insert
// if still pending, as its row is deleted; the messages and reports it
// touched refresh it if a later change brings it back, else find it gone.
func (b *batch) forgetThread(id string) {
	delete(b.pending, id)
	delete(b.base, id)
	delete(b.written, id)
	delete(b.exists, id)
	delete(b.shown, id)
}

// idList encodes ids (or rowids) for `IN (SELECT value FROM json_each(?))`:
// one statement for a whole batch instead of one per thread.
func idList[T string | int64](ids []T) (string, error) {
	raw, err := json.Marshal(ids)
	return string(raw), err
}

const inIDs = `(SELECT value FROM json_each(?))`

// lookup learns which of ids have a thread row, with their name and number.
func (b *batch) lookup(ctx context.Context, ids []string) error {
	var missing []string
	for _, id := range ids {
		if _, ok := b.exists[id]; !ok {
			missing = append(missing, id)
		}
	}
	for len(missing) > 0 {
		chunk := missing[:min(len(missing), 500)]
		missing = missing[len(chunk):]
		list, err := idList(chunk)
		if err != nil {
			return err
		}
		for _, id := range chunk {
			b.exists[id] = nil
		}
		rows, err := b.tx.QueryContext(ctx, `SELECT id, contact_name, contact_phone, opted_out FROM threads WHERE id IN `+inIDs, list)
		if err != nil {
			return fmt.Errorf("look up threads: %w", err)
		}
		for rows.Next() {
			var id string
			var np namePhone
			if err := rows.Scan(&id, &np.name, &np.phone, &np.optedOut); err != nil {
				rows.Close()
				return fmt.Errorf("look up threads: %w", err)
			}
			b.exists[id] = &np
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("look up threads: %w", err)
		}
	}
	return nil
}

// upsertThread stores a thread's base state; refreshThread must follow in the
// same transaction to bring the derived columns up to date.
func upsertThread(ctx context.Context, tx *sql.Tx, t api.Thread, fromServer bool) error {
	b := newBatch(tx)
	defer b.close()
	return b.upsertThread(ctx, t, nil, fromServer, false)
}

// upsertThread stores a thread's base state (raw is its JSON when the caller
// has it); refresh must follow. A new thread is inserted with derived
// columns from that state alone, or, with deferInsert, left for refresh to insert
// once it knows them all.
func (b *batch) upsertThread(ctx context.Context, t api.Thread, raw []byte, fromServer, deferInsert bool) error {
	if raw == nil {
		var err error
		if raw, err = json.Marshal(t); err != nil {
			return fmt.Errorf("encode thread: %w", err)
		}
	}
	if err := b.lookup(ctx, []string{t.ID}); err != nil {
		return err
	}
	old := b.exists[t.ID]
	if _, pending := b.pending[t.ID]; pending {
		old = nil // still to be inserted: this newer state replaces it
	}
	if old == nil {
		if deferInsert {
			b.pending[t.ID] = pendingThread{raw: raw, fromServer: fromServer}
		} else if err := b.insertThread(ctx, t, raw, fromServer, deriveThread(t, localFacts{})); err != nil {
			return err
		}
	} else {
		_, err := b.exec(ctx, `UPDATE threads SET action_id = ?, campaign_id = ?, action_type = ?, contact_name = ?, contact_phone = ?,
				data = ?, from_server = ? WHERE id = ?`,
			t.ActionID, t.CampaignID, t.ActionType, t.ContactName, t.ContactPhone, string(raw), boolInt(fromServer), t.ID)
		if err != nil {
			return fmt.Errorf("store thread %s: %w", t.ID, err)
		}
	}
	b.exists[t.ID] = &namePhone{name: t.ContactName, phone: t.ContactPhone, optedOut: t.OptedOut}
	b.base[t.ID] = t
	b.touch(t.ID)
	return nil
}

// insertThread writes a new thread row with its derived columns d.
func (b *batch) insertThread(ctx context.Context, t api.Thread, raw []byte, fromServer bool, d derived) error {
	res, err := b.exec(ctx, `INSERT INTO threads(id, action_id, campaign_id, action_type, contact_name, contact_phone, data, from_server,
			last_message_at, last_message_body, last_inbound_at, last_outbound_at, last_read_at, last_report_at,
			archived, opted_out, blocked, unread, needs_attention, archived_reason, reassigned_from, opt_out_undecided,
			unanswered)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.ActionID, t.CampaignID, t.ActionType, t.ContactName, t.ContactPhone,
		string(raw), boolInt(fromServer),
		d.lastMessageAt, d.lastBody, d.in, d.out, d.read, d.report, d.archived, d.optedOut, d.blocked, d.unread, d.attention, d.reason,
		d.reassignedFrom, d.optOutUndecided, d.unanswered)
	if err != nil {
		return fmt.Errorf("store thread %s: %w", t.ID, err)
	}
	b.written[t.ID] = &d
	if b.index != nil {
		if rowid, err := res.LastInsertId(); err == nil {
			b.index.noteRow(rowid, t.ID, t.CampaignID, t.ActionType, t.ContactName, t.ContactPhone, d.lastMessageAt, d.archived == 1, d.unread == 1, d.attention == 1)
		}
	}
	return nil
}

// deleteThread removes a thread with its messages and reports (its
// counts go by trigger).
func deleteThread(ctx context.Context, tx *sql.Tx, id string) error {
	for _, q := range []string{
		`DELETE FROM messages WHERE thread_id = ?`,
		`DELETE FROM reports WHERE thread_id = ?`,
		`DELETE FROM threads WHERE id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}
