package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
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
	reason                      string // archived_reason: why an archived thread is archived
}

// indexedEqual: the columns the inbox's indexes and counts depend on.
func (d derived) indexedEqual(o derived) bool {
	return d.lastMessageAt == o.lastMessageAt && d.archived == o.archived && d.unread == o.unread && d.attention == o.attention
}

// batch is one write transaction's statements and thread knowledge.
type batch struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
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
	// shown is each refreshed thread's name and blocked flag, for the
	// new-message notifications of a page.
	shown map[string]shownThread
	// autoArchive is the Automatic Archive Setting once a pending report
	// needed it.
	autoArchive *bool
}

type namePhone struct{ name, phone string }

type pendingThread struct {
	raw        []byte
	fromServer bool
}

type shownThread struct {
	name    string
	blocked bool
}

func newBatch(tx *sql.Tx) *batch {
	return &batch{tx: tx, stmts: map[string]*sql.Stmt{}, base: map[string]api.Thread{}, written: map[string]*derived{},
		exists: map[string]*namePhone{}, pending: map[string]pendingThread{}, isTouch: map[string]bool{}, shown: map[string]shownThread{}}
}

// stmt prepares a query once per batch.
func (b *batch) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := b.stmts[query]; ok {
		return s, nil
	}
	s, err := b.tx.PrepareContext(ctx, query)
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

// idList encodes ids for `IN (SELECT value FROM json_each(?))`: one
// statement for a whole batch instead of one per thread.
func idList(ids []string) (string, error) {
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
		rows, err := b.tx.QueryContext(ctx, `SELECT id, contact_name, contact_phone FROM threads WHERE id IN `+inIDs, list)
		if err != nil {
			return fmt.Errorf("look up threads: %w", err)
		}
		for rows.Next() {
			var id string
			var np namePhone
			if err := rows.Scan(&id, &np.name, &np.phone); err != nil {
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
				search = ?, data = ?, from_server = ? WHERE id = ?`,
			t.ActionID, t.CampaignID, t.ActionType, t.ContactName, t.ContactPhone, searchKey(t.ContactName, t.ContactPhone),
			string(raw), boolInt(fromServer), t.ID)
		if err != nil {
			return fmt.Errorf("store thread %s: %w", t.ID, err)
		}
		if old.name != t.ContactName || old.phone != t.ContactPhone {
			var rowid int64
			s, err := b.stmt(ctx, `SELECT rowid FROM threads WHERE id = ?`)
			if err != nil {
				return err
			}
			if err := s.QueryRowContext(ctx, t.ID).Scan(&rowid); err != nil {
				return fmt.Errorf("store thread %s: %w", t.ID, err)
			}
			if _, err := b.exec(ctx, `DELETE FROM thread_search WHERE docid = ?`, rowid); err != nil {
				return fmt.Errorf("re-index thread %s: %w", t.ID, err)
			}
			if err := b.index(ctx, t, rowid); err != nil {
				return err
			}
		}
	}
	b.exists[t.ID] = &namePhone{t.ContactName, t.ContactPhone}
	b.base[t.ID] = t
	b.touch(t.ID)
	return nil
}

// insertThread writes a new thread row with its derived columns d and
// indexes it for search.
func (b *batch) insertThread(ctx context.Context, t api.Thread, raw []byte, fromServer bool, d derived) error {
	res, err := b.exec(ctx, `INSERT INTO threads(id, action_id, campaign_id, action_type, contact_name, contact_phone, search, data, from_server,
			last_message_at, last_message_body, last_inbound_at, last_outbound_at, last_read_at, last_report_at,
			archived, opted_out, blocked, unread, needs_attention, archived_reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.ActionID, t.CampaignID, t.ActionType, t.ContactName, t.ContactPhone, searchKey(t.ContactName, t.ContactPhone),
		string(raw), boolInt(fromServer),
		d.lastMessageAt, d.lastBody, d.in, d.out, d.read, d.report, d.archived, d.optedOut, d.blocked, d.unread, d.attention, d.reason)
	if err != nil {
		return fmt.Errorf("store thread %s: %w", t.ID, err)
	}
	rowid, err := res.LastInsertId()
	if err != nil {
		return err
	}
	b.written[t.ID] = &d
	return b.index(ctx, t, rowid)
}

// index adds a thread's search tokens under its rowid.
func (b *batch) index(ctx context.Context, t api.Thread, rowid int64) error {
	if _, err := b.exec(ctx, `INSERT INTO thread_search(docid, tokens) VALUES (?, ?)`, rowid, searchTokens(t.ContactName, t.ContactPhone)); err != nil {
		return fmt.Errorf("index thread %s for search: %w", t.ID, err)
	}
	return nil
}

// deleteThread removes a thread with its messages and reports (its search
// tokens and counts go by trigger).
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

// refreshThread recomputes one thread's derived columns.
func refreshThread(ctx context.Context, tx *sql.Tx, id string) error {
	b := newBatch(tx)
	defer b.close()
	return b.refresh(ctx, []string{id})
}

// refreshTouched recomputes the derived columns of every thread the batch
// touched.
func (b *batch) refreshTouched(ctx context.Context) error {
	ids := b.touched
	b.touched, b.isTouch = nil, map[string]bool{}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		if err := b.refresh(ctx, chunk); err != nil {
			return err
		}
	}
	return nil
}

// localFacts is what the cache knows about a thread beyond its base state.
type localFacts struct {
	lastIn, lastOut, lastReport sql.NullInt64
	lastBody                    string
	lastAt                      sql.NullInt64
	pending                     []api.Mutation // in outbox order
	autoArchive                 bool           // the volunteer's Automatic Archive Setting
}

// deriveThread merges base state and local facts into the stored columns.
func deriveThread(t api.Thread, f localFacts) derived {
	t.LastInboundAt = later(t.LastInboundAt, fromNull(f.lastIn))
	t.LastOutboundAt = later(t.LastOutboundAt, fromNull(f.lastOut))
	t.LastReportAt = later(t.LastReportAt, fromNull(f.lastReport))
	applyPending(&t, f.pending, f.autoArchive)
	lastMessageAt := t.LastMessageAt
	if at := fromNull(f.lastAt); at != nil && at.After(lastMessageAt) {
		lastMessageAt = *at
	}
	s := InboxState(t)
	return derived{
		lastMessageAt: nanos(lastMessageAt), lastBody: f.lastBody,
		in: nullNanos(t.LastInboundAt), out: nullNanos(t.LastOutboundAt), read: nullNanos(t.LastReadAt), report: nullNanos(t.LastReportAt),
		archived: boolInt(t.Archived), optedOut: boolInt(t.OptedOut), blocked: boolInt(t.Blocked),
		unread: boolInt(inbox.IsUnread(s)), attention: boolInt(inbox.NeedsAttentionNow(s)),
		reason: t.ArchivedReason,
	}
}

// InboxState reads the inbox rules' inputs off a thread.
func InboxState(t api.Thread) inbox.State {
	return inbox.State{
		ActionType:     t.ActionType,
		Archived:       t.Archived,
		OptedOut:       t.OptedOut,
		Blocked:        t.Blocked,
		LastInboundAt:  t.LastInboundAt,
		LastOutboundAt: t.LastOutboundAt,
		LastReadAt:     t.LastReadAt,
		LastReportAt:   t.LastReportAt,
	}
}

// refresh recomputes the derived columns of up to 500 threads with five
// queries for all of them, then writes each thread whose columns changed:
// only the unindexed ones when that is all that changed, so the indexes and
// counts are left alone.
func (b *batch) refresh(ctx context.Context, ids []string) error {
	list, err := idList(ids)
	if err != nil {
		return err
	}
	// Base state and current columns of threads this batch did not write.
	var unknown []string
	for _, id := range ids {
		if _, pending := b.pending[id]; pending {
			continue
		}
		if _, ok := b.base[id]; !ok || b.written[id] == nil {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		if err := b.loadThreads(ctx, unknown); err != nil {
			return err
		}
	}
	facts := make(map[string]*localFacts, len(ids))
	for _, id := range ids {
		if _, ok := b.base[id]; ok {
			facts[id] = &localFacts{}
		}
	}
	if len(facts) == 0 {
		return nil // messages of threads not (yet) visible: nothing to derive
	}
	// Messages the server refused or failed to send are no answer to anyone.
	err = b.each(ctx, `SELECT thread_id, direction, MAX(created_at) FROM messages
		WHERE thread_id IN `+inIDs+` AND error = '' AND status != ? GROUP BY thread_id, direction`, []any{list, api.StatusFailed},
		func(rows *sql.Rows) error {
			var id, dir string
			var at sql.NullInt64
			if err := rows.Scan(&id, &dir, &at); err != nil {
				return err
			}
			if f := facts[id]; f != nil {
				switch dir {
				case api.DirInbound:
					f.lastIn = at
				case api.DirOutbound:
					f.lastOut = at
				}
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("refresh threads: message times: %w", err)
	}
	err = b.each(ctx, `SELECT j.value, m.body, m.created_at FROM json_each(?) j
		JOIN messages m ON m.rowid = (SELECT rowid FROM messages WHERE thread_id = j.value ORDER BY created_at DESC, rowid DESC LIMIT 1)`,
		[]any{list}, func(rows *sql.Rows) error {
			var id, body string
			var at sql.NullInt64
			if err := rows.Scan(&id, &body, &at); err != nil {
				return err
			}
			if f := facts[id]; f != nil {
				f.lastBody, f.lastAt = body, at
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("refresh threads: last message: %w", err)
	}
	err = b.each(ctx, `SELECT thread_id, MAX(submitted_at) FROM reports WHERE thread_id IN `+inIDs+` GROUP BY thread_id`,
		[]any{list}, func(rows *sql.Rows) error {
			var id string
			var at sql.NullInt64
			if err := rows.Scan(&id, &at); err != nil {
				return err
			}
			if f := facts[id]; f != nil {
				f.lastReport = at
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("refresh threads: report times: %w", err)
	}
	err = b.each(ctx, `SELECT thread_id, payload FROM outbox WHERE thread_id IN `+inIDs+` AND rejected = 0 ORDER BY seq`,
		[]any{list}, func(rows *sql.Rows) error {
			var id, payload string
			if err := rows.Scan(&id, &payload); err != nil {
				return err
			}
			var m api.Mutation
			if err := json.Unmarshal([]byte(payload), &m); err != nil {
				return fmt.Errorf("decode pending mutation: %w", err)
			}
			if f := facts[id]; f != nil {
				f.pending = append(f.pending, m)
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("refresh threads: pending effects: %w", err)
	}
	if err := b.loadAutoArchive(ctx, facts); err != nil {
		return err
	}
	for _, id := range ids {
		f := facts[id]
		if f == nil {
			continue
		}
		t := b.base[id]
		d := deriveThread(t, *f)
		b.shown[id] = shownThread{name: t.ContactName, blocked: d.blocked == 1}
		if p, pending := b.pending[id]; pending {
			delete(b.pending, id)
			if err := b.insertThread(ctx, t, p.raw, p.fromServer, d); err != nil {
				return err
			}
			continue
		}
		old := b.written[id]
		switch {
		case old != nil && *old == d:
			continue
		case old != nil && old.indexedEqual(d):
			_, err = b.exec(ctx, `UPDATE threads SET last_message_body = ?, last_inbound_at = ?, last_outbound_at = ?,
					last_read_at = ?, last_report_at = ?, opted_out = ?, blocked = ?, archived_reason = ? WHERE id = ?`,
				d.lastBody, d.in, d.out, d.read, d.report, d.optedOut, d.blocked, d.reason, id)
		default:
			_, err = b.exec(ctx, `UPDATE threads SET last_message_at = ?, last_message_body = ?,
					last_inbound_at = ?, last_outbound_at = ?, last_read_at = ?, last_report_at = ?,
					archived = ?, opted_out = ?, blocked = ?, unread = ?, needs_attention = ?, archived_reason = ?
				WHERE id = ?`,
				d.lastMessageAt, d.lastBody, d.in, d.out, d.read, d.report,
				d.archived, d.optedOut, d.blocked, d.unread, d.attention, d.reason, id)
		}
		if err != nil {
			return fmt.Errorf("refresh thread %s: %w", id, err)
		}
		b.written[id] = &d
	}
	return nil
}

// loadAutoArchive gives the facts of threads with a pending report the
// Automatic Archive Setting, read once per batch.
func (b *batch) loadAutoArchive(ctx context.Context, facts map[string]*localFacts) error {
	for _, f := range facts {
		if !slices.ContainsFunc(f.pending, func(m api.Mutation) bool { return m.Type == api.MutReport }) {
			continue
		}
		if b.autoArchive == nil {
			s, err := settingsTx(ctx, b.tx)
			if err != nil {
				return fmt.Errorf("refresh threads: settings: %w", err)
			}
			b.autoArchive = &s.AutoArchive
		}
		f.autoArchive = *b.autoArchive
	}
	return nil
}

// loadThreads reads base state and current derived columns of threads.
func (b *batch) loadThreads(ctx context.Context, ids []string) error {
	list, err := idList(ids)
	if err != nil {
		return err
	}
	err = b.each(ctx, `SELECT id, data, contact_name, contact_phone, last_message_at, last_message_body, last_inbound_at, last_outbound_at,
			last_read_at, last_report_at, archived, opted_out, blocked, unread, needs_attention, archived_reason FROM threads WHERE id IN `+inIDs,
		[]any{list}, func(rows *sql.Rows) error {
			var id, data string
			var np namePhone
			var d derived
			if err := rows.Scan(&id, &data, &np.name, &np.phone, &d.lastMessageAt, &d.lastBody, &d.in, &d.out, &d.read, &d.report,
				&d.archived, &d.optedOut, &d.blocked, &d.unread, &d.attention, &d.reason); err != nil {
				return err
			}
			var t api.Thread
			if err := json.Unmarshal([]byte(data), &t); err != nil {
				return fmt.Errorf("decode thread %s: %w", id, err)
			}
			b.base[id], b.written[id], b.exists[id] = t, &d, &np
			return nil
		})
	if err != nil {
		return fmt.Errorf("refresh threads: %w", err)
	}
	return nil
}

// each runs a prepared query and calls fn on every row.
func (b *batch) each(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) error {
	s, err := b.stmt(ctx, query)
	if err != nil {
		return err
	}
	rows, err := s.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// searchKey is what a search is finally checked against (LIKE): the name in
// lower case and the number as bare digits, so "555 0101" finds "+15550101".
func searchKey(name, phone string) string {
	return strings.ToLower(name) + " | " + digits(phone)
}

// searchTokens are a thread's full-text tokens: every suffix of every word
// of its name and of its number's digits, so any substring of a word is a
// token prefix.
func searchTokens(name, phone string) string {
	var out []string
	add := func(word string) {
		r := []rune(word)
		for i := range r {
			out = append(out, string(r[i:]))
		}
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(name), notWordRune) {
		add(w)
	}
	add(digits(phone))
	slices.Sort(out)
	return strings.Join(slices.Compact(out), " ")
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// search is what the volunteer typed, ready for the two ways of finding it.
type search struct {
	like  string // LIKE pattern over threads.search
	match string // FTS query over thread_search; "" when q has no word to look up
	short bool   // few enough characters to match many threads
}

// parseSearch: a query of digits and phone punctuation searches numbers,
// anything else names.
func parseSearch(q string) (search, bool) {
	q = strings.TrimSpace(q)
	if q == "" {
		return search{}, false
	}
	isNumber := strings.IndexFunc(q, func(r rune) bool {
		return !(unicode.IsDigit(r) || strings.ContainsRune("+-() .", r))
	}) < 0
	if isNumber && digits(q) != "" {
		q = digits(q)
	} else {
		q = strings.ToLower(q)
	}
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	s := search{like: "%" + r.Replace(q) + "%", short: len([]rune(q)) <= 3}
	words := strings.FieldsFunc(q, notWordRune)
	if len(words) > 0 {
		// Words are letters and digits only, so nothing in them is FTS
		// syntax (operators are upper case; q is lower case).
		for i, w := range words {
			words[i] = w + "*"
		}
		s.match = strings.Join(words, " ")
	}
	return s, true
}

// rebuildSearch indexes every thread for search, once, after the migration
// that added the index.
func rebuildSearch(ctx context.Context, tx *sql.Tx) error {
	var state string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'search_index'`).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && state != "rebuild") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read search index state: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM thread_search`); err != nil {
		return fmt.Errorf("clear search index: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT rowid, contact_name, contact_phone FROM threads`)
	if err != nil {
		return fmt.Errorf("index threads for search: %w", err)
	}
	type entry struct {
		rowid  int64
		tokens string
	}
	var all []entry
	for rows.Next() {
		var e entry
		var name, phone string
		if err := rows.Scan(&e.rowid, &name, &phone); err != nil {
			rows.Close()
			return fmt.Errorf("index threads for search: %w", err)
		}
		e.tokens = searchTokens(name, phone)
		all = append(all, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index threads for search: %w", err)
	}
	for _, e := range all {
		if _, err := tx.ExecContext(ctx, `INSERT INTO thread_search(docid, tokens) VALUES (?, ?)`, e.rowid, e.tokens); err != nil {
			return fmt.Errorf("index threads for search: %w", err)
		}
	}
	return setMeta(ctx, tx, "search_index", "ok")
}
