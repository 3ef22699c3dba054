package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// Blocking a contact and reassigning conversations take threads out of the
// volunteer's inbox at once, offline too. The threads are deleted locally
// and kept, whole, in the outbox row's undo, so that a refusal brings them
// back exactly as they were (MarkRejected).

// hidden is the undo of a block or reassign. FirstName and Phone carry
// api.Assignment's JSON names so that Outbox can name the contact of a
// thread that is no longer in the cache, as it does for a refused first text.
type hidden struct {
	FirstName string         `json:"firstName,omitempty"`
	Phone     string         `json:"phone,omitempty"`
	Threads   []hiddenThread `json:"threads"`
	// Gone: a pull deleted some of the threads while the change waited
	// (the server's copy of a block or reassign, which sync as deletes of
	// the volunteer's threads; or the thread left them otherwise). They
	// are dropped from Threads: a refusal or discard must not bring back
	// a thread the server took away, and with none left the change is
	// taken as saved (savedTx).
	Gone bool `json:"gone,omitempty"`
}

type hiddenThread struct {
	ID         string          `json:"id"`
	Data       json.RawMessage `json:"data"`
	FromServer bool            `json:"fromServer"`
	Messages   []hiddenMessage `json:"messages"`
	Reports    []hiddenReport  `json:"reports"`
}

type hiddenMessage struct {
	ID, Direction, Body, Status, Error string
	SentBy, SentByName                 string
	Initial, Pending, LikelyOptOut     bool
	CreatedAt                          int64
}

type hiddenReport struct {
	ID          string
	SubmittedAt int64
	Data        string
}

// hidesThreads are the mutation types whose threads leave the inbox.
var hidesThreads = map[string]bool{api.MutBlock: true, api.MutReassign: true}

// HideThreads queues m (a block or a reassign) and takes threadIDs out of
// the inbox in the same transaction. It returns how many threads went.
func (c *Cache) HideThreads(ctx context.Context, m api.Mutation, threadIDs []string, now time.Time) (int, error) {
	if !hidesThreads[m.Type] {
		return 0, fmt.Errorf("hide threads: %s does not hide threads", m.Type)
	}
	n := 0
	err := c.write(ctx, func(tx *sql.Tx) error {
		var undo hidden
		for _, id := range threadIDs {
			h, ok, err := snapshotThread(ctx, tx, id)
			if err != nil {
				return fmt.Errorf("hide thread %s: %w", id, err)
			}
			if !ok {
				if m.ThreadID != "" {
					return fmt.Errorf("hide thread %s: %w", id, ErrNotFound)
				}
				continue
			}
			if m.ThreadID != "" {
				var t api.Thread
				if json.Unmarshal(h.Data, &t) == nil {
					undo.FirstName, undo.Phone = t.ContactName, t.ContactPhone
				}
			}
			undo.Threads = append(undo.Threads, h)
			if err := deleteThread(ctx, tx, id); err != nil {
				return fmt.Errorf("hide thread %s: %w", id, err)
			}
		}
		raw, err := json.Marshal(undo)
		if err != nil {
			return fmt.Errorf("hide threads: %w", err)
		}
		m.CreatedAt = now
		n = len(undo.Threads)
		return enqueue(ctx, tx, m, m.ThreadID, string(raw))
	})
	return n, err
}

func snapshotThread(ctx context.Context, tx *sql.Tx, id string) (hiddenThread, bool, error) {
	h := hiddenThread{ID: id}
	var data string
	var fromServer int
	err := tx.QueryRowContext(ctx, `SELECT data, from_server FROM threads WHERE id = ?`, id).Scan(&data, &fromServer)
	if err == sql.ErrNoRows {
		return h, false, nil
	}
	if err != nil {
		return h, false, err
	}
	h.Data, h.FromServer = json.RawMessage(data), fromServer == 1
	rows, err := tx.QueryContext(ctx, `SELECT id, direction, body, status, error, initial, pending, likely_opt_out, created_at,
		  sent_by, sent_by_name
		FROM messages WHERE thread_id = ? ORDER BY created_at, rowid`, id)
	if err != nil {
		return h, false, err
	}
	for rows.Next() {
		var m hiddenMessage
		var initial, pending, likely int
		if err := rows.Scan(&m.ID, &m.Direction, &m.Body, &m.Status, &m.Error, &initial, &pending, &likely, &m.CreatedAt, &m.SentBy, &m.SentByName); err != nil {
			rows.Close()
			return h, false, err
		}
		m.Initial, m.Pending, m.LikelyOptOut = initial == 1, pending == 1, likely == 1
		h.Messages = append(h.Messages, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return h, false, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, submitted_at, data FROM reports WHERE thread_id = ? ORDER BY submitted_at`, id)
	if err != nil {
		return h, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var r hiddenReport
		if err := rows.Scan(&r.ID, &r.SubmittedAt, &r.Data); err != nil {
			return h, false, err
		}
		h.Reports = append(h.Reports, r)
	}
	return h, true, rows.Err()
}

// restoreHidden brings back the threads a refused block or reassign hid,
// unless sync already brought a newer copy.
func restoreHidden(ctx context.Context, tx *sql.Tx, undo string) error {
	var u hidden
	if err := json.Unmarshal([]byte(undo), &u); err != nil {
		return fmt.Errorf("decode hidden threads: %w", err)
	}
	for _, h := range u.Threads {
		if exists, err := threadExistsTx(ctx, tx, h.ID); err != nil || exists {
			if err != nil {
				return err
			}
			continue
		}
		var t api.Thread
		if err := json.Unmarshal(h.Data, &t); err != nil {
			return fmt.Errorf("decode hidden thread %s: %w", h.ID, err)
		}
		if err := upsertThread(ctx, tx, t, h.FromServer); err != nil {
			return err
		}
		for _, m := range h.Messages {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO messages(id, thread_id, direction, body, status, initial, created_at, pending, error, likely_opt_out,
				  sent_by, sent_by_name)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, h.ID, m.Direction, m.Body, m.Status, boolInt(m.Initial), m.CreatedAt,
				boolInt(m.Pending), m.Error, boolInt(m.LikelyOptOut), m.SentBy, m.SentByName); err != nil {
				return fmt.Errorf("restore message %s: %w", m.ID, err)
			}
		}
		for _, r := range h.Reports {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO reports(id, thread_id, submitted_at, data) VALUES (?, ?, ?, ?)`,
				r.ID, h.ID, r.SubmittedAt, r.Data); err != nil {
				return fmt.Errorf("restore report %s: %w", r.ID, err)
			}
		}
		if err := refreshThread(ctx, tx, h.ID); err != nil {
			return err
		}
	}
	return nil
}

// hidePending deletes again the threads of blocks and reassigns still in
// the outbox, which a sync page from before the server applied them may
// have brought back, and drops from their undo the threads the page
// deleted (deleted, the server's word that they are gone). It returns the
// ids they hide.
func hidePending(ctx context.Context, tx *sql.Tx, deleted map[string]bool) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, undo FROM outbox WHERE type IN (?, ?) AND rejected = 0`, api.MutBlock, api.MutReassign)
	if err != nil {
		return nil, fmt.Errorf("threads hidden by pending changes: %w", err)
	}
	var ids []string
	gone := map[string]hidden{} // outbox id -> its undo without the deleted threads
	for rows.Next() {
		var id, undo string
		if err := rows.Scan(&id, &undo); err != nil {
			rows.Close()
			return nil, err
		}
		var u hidden
		if json.Unmarshal([]byte(undo), &u) != nil {
			continue
		}
		kept := u.Threads[:0:0]
		for _, h := range u.Threads {
			ids = append(ids, h.ID)
			if deleted[h.ID] {
				u.Gone = true
			} else {
				kept = append(kept, h)
			}
		}
		if len(kept) < len(u.Threads) {
			u.Threads = kept
			gone[id] = u
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for id, u := range gone {
		raw, err := json.Marshal(u)
		if err != nil {
			return nil, fmt.Errorf("hidden threads of %s: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET undo = ? WHERE id = ?`, string(raw), id); err != nil {
			return nil, fmt.Errorf("hidden threads of %s: %w", id, err)
		}
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
		if err := deleteThread(ctx, tx, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ActionThreadIDs lists the threads of an action in the inbox (blocked
// contacts' aside): what Reassign All Conversations hands over.
func (c *Cache) ActionThreadIDs(ctx context.Context, actionID string) ([]string, error) {
	ids, err := queryIDs(ctx, c.db, `SELECT id FROM threads WHERE action_id = ? AND blocked = 0 ORDER BY id`, actionID)
	if err != nil {
		return nil, fmt.Errorf("threads of action %s: %w", actionID, err)
	}
	return ids, nil
}
