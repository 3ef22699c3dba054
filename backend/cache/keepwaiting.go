package cache

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// A sign-in the server ended (client/ended.go) leaves on the computer only
// the volunteer's own changes still waiting to be sent, and what pushing
// them needs: a fresh file holds the outbox's waiting rows and whose they
// are (Ended), and takes the cache file's place. Gone with the old file:
// contacts, threads, messages, reports, campaigns, the queue, the cursor,
// the token, refused changes (their reasons name contacts), reads
// (housekeeping), and of the waiting rows the contact's name and number
// and the undo (a block's or reassign's hidden threads, a first text's
// assignment). The mutation itself stays as pushed: its words (a first
// text may name the contact by first name) and a report's answers.

// Ended is whose changes a kept outbox holds, once their sign-in ended:
// signing in again as that user sends them, as anyone else deletes them.
type Ended struct {
	User      api.User `json:"user"`
	ServerURL string   `json:"serverUrl"`
}

const (
	metaEnded = "ended"
	// metaAccepted: when the server last accepted this sign-in (Unix
	// nanoseconds of the server's clock; of the app's before stop 68).
	metaAccepted = "accepted_at"
	// metaOffset: how far the server's clock was ahead of the app's then
	// (nanoseconds).
	metaOffset = "clock_offset"
)

// hiddenNone is a kept block's or reassign's undo: no threads to bring
// back (they are not in the kept file; a pull brings them if the server
// refuses the change).
const hiddenNone = `{"threads":[]}`

// keptRow is an outbox row as the kept file holds it.
type keptRow struct {
	seq                 int64
	id, typ, payload    string
	threadID, messageID string
	createdAt           int64
	attempts, faults    int
	firstFaultAt        int64
	scriptTags          sql.NullInt64
}

// KeepOnlyWaiting replaces the cache's file by one holding only the
// outbox's waiting changes and e, and says whether it did. Not done
// (false), the cache is as it was and still usable; done, it is closed
// (open the data dir again) and refuses writes with ErrWiped. The rows are
// read and the kept file written under the write lock, and from then on
// every write is refused: a change queued meanwhile is either in the kept
// file or refused with ErrWiped, never lost unsaid. The old file's WAL and
// shared memory go first and the kept file is renamed over it last: a
// crash in between leaves the old file whole (closing checkpointed it),
// to be ended again at the next start.
func (c *Cache) KeepOnlyWaiting(ctx context.Context, e Ended) (bool, error) {
	keptPath := c.path + ".kept"
	c.writeMu.Lock()
	if c.wiped {
		c.writeMu.Unlock()
		return false, ErrWiped
	}
	rows, err := c.waitingRows(ctx)
	if err == nil {
		err = writeKept(ctx, keptPath, rows, e)
	}
	if err != nil {
		c.writeMu.Unlock()
		removeAll(keptPath)
		return false, err
	}
	c.wiped = true
	// Let go before the close, which waits for the search index's build,
	// and that build takes the lock.
	c.writeMu.Unlock()
	if err := c.Close(); err != nil {
		return true, fmt.Errorf("close cache before replacing it: %w", err)
	}
	for _, p := range []string{c.path + "-wal", c.path + "-shm", c.path + "-journal"} {
		if err := removeFile(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return true, fmt.Errorf("delete %s: %w", p, err)
		}
	}
	if err := renameFile(keptPath, c.path); err != nil {
		return true, fmt.Errorf("put the kept outbox in place: %w", err)
	}
	syncDir(filepath.Dir(c.path))
	return true, nil
}

// waitingRows reads the outbox rows KeepOnlyWaiting keeps, in send order:
// the volunteer's own waiting changes (WaitingCount's).
func (c *Cache) waitingRows(ctx context.Context) ([]keptRow, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT seq, id, type, payload, thread_id, message_id, created_at, attempts, faults, first_fault_at, script_tags
		FROM outbox WHERE rejected = 0 AND type <> ? ORDER BY seq`, api.MutRead)
	if err != nil {
		return nil, fmt.Errorf("read the waiting changes: %w", err)
	}
	defer rows.Close()
	var out []keptRow
	for rows.Next() {
		var r keptRow
		if err := rows.Scan(&r.seq, &r.id, &r.typ, &r.payload, &r.threadID, &r.messageID, &r.createdAt, &r.attempts, &r.faults, &r.firstFaultAt, &r.scriptTags); err != nil {
			return nil, fmt.Errorf("read the waiting changes: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// writeKept makes the kept file at path: the cache's schema, rows and e.
func writeKept(ctx context.Context, path string, rows []keptRow, e Ended) error {
	removeAll(path) // a crash's leftover
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	_ = f.Close()
	ended, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode the ended sign-in: %w", err)
	}
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=on&_busy_timeout=10000")
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	if err := applyMigrations(ctx, db); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("write the kept outbox: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, r := range rows {
		undo := ""
		if r.typ == api.MutBlock || r.typ == api.MutReassign {
			undo = hiddenNone
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox(seq, id, type, payload, thread_id, message_id, undo, created_at, attempts, faults, first_fault_at, script_tags)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.seq, r.id, r.typ, r.payload, r.threadID, r.messageID, undo, r.createdAt,
			r.attempts, r.faults, r.firstFaultAt, r.scriptTags); err != nil {
			return fmt.Errorf("keep change %s: %w", r.id, err)
		}
	}
	if err := setMeta(ctx, tx, metaEnded, string(ended)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("write the kept outbox: %w", err)
	}
	return db.Close()
}

// removeAll deletes a file with its SQLite companions, if there.
func removeAll(path string) {
	for _, p := range []string{path, path + "-journal", path + "-wal", path + "-shm"} {
		_ = os.Remove(p)
	}
}

// syncDir puts a rename in dir on the disk; best effort (not every system
// can sync a directory).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// EndedSignIn returns whose changes a kept outbox holds (KeepOnlyWaiting);
// ok is false when no sign-in ended here, or one was begun since.
func (c *Cache) EndedSignIn(ctx context.Context) (e Ended, ok bool, err error) {
	var v string
	err = c.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaEnded).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return Ended{}, false, nil
	}
	if err != nil {
		return Ended{}, false, fmt.Errorf("read the ended sign-in: %w", err)
	}
	if err := json.Unmarshal([]byte(v), &e); err != nil {
		return Ended{}, false, fmt.Errorf("decode the ended sign-in: %w", err)
	}
	return e, true, nil
}

// Accepted is when the server last accepted this sign-in, by the server's
// clock (the Date of its answer), and how far the server's clock was ahead
// of this computer's then (negative: behind): the app counts the server's
// idle limit on the server's clock, estimated from this computer's and the
// offset (client/serverclock.go).
type Accepted struct {
	At     time.Time
	Offset time.Duration
}

// NoteAccepted stores a as when the server last accepted this sign-in.
func (c *Cache) NoteAccepted(ctx context.Context, a Accepted) error {
	return c.write(ctx, func(tx *sql.Tx) error {
		if err := setMeta(ctx, tx, metaAccepted, fmt.Sprint(nanos(a.At))); err != nil {
			return err
		}
		return setMeta(ctx, tx, metaOffset, fmt.Sprint(int64(a.Offset)))
	})
}

// LastAccepted is what NoteAccepted stored; ok is false if never stored (a
// cache from before it was). A cache from before the offset was stored
// has the time by this computer's clock, and an offset of 0.
func (c *Cache) LastAccepted(ctx context.Context) (a Accepted, ok bool, err error) {
	rows, err := c.db.QueryContext(ctx, `SELECT key, CAST(value AS INTEGER) FROM meta WHERE key IN (?, ?)`, metaAccepted, metaOffset)
	if err != nil {
		return Accepted{}, false, fmt.Errorf("read when the sign-in was last accepted: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var n int64
		if err := rows.Scan(&key, &n); err != nil {
			return Accepted{}, false, fmt.Errorf("read when the sign-in was last accepted: %w", err)
		}
		if key == metaAccepted {
			a.At, ok = fromNanos(n), true
		} else {
			a.Offset = time.Duration(n)
		}
	}
	if err := rows.Err(); err != nil {
		return Accepted{}, false, fmt.Errorf("read when the sign-in was last accepted: %w", err)
	}
	if !ok {
		return Accepted{}, false, nil
	}
	return a, true, nil
}
