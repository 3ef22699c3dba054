// Package cache is the desktop app's local SQLite: the copy of everything its
// volunteer may see, the inbox queries over it, and the outbox of mutations
// not yet accepted by the server. Every optimistic change is written in one
// transaction with its outbox row, and every sync page in one transaction
// with its cursor, so a crash never leaves half of either.
package cache

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/schema"
	"github.com/textbank/textbank/backend/walsync"
)

// FileName is the cache file inside the data dir.
const FileName = "textbank.db"

// ErrNotFound is returned when a looked-up entity is not in the cache.
var ErrNotFound = errors.New("not found in the local cache")

//go:embed migrations/*.sql
var migrations embed.FS

// Cache is the open local database. It is safe for concurrent use.
type Cache struct {
	db     *sql.DB
	path   string
	search *searchIndex
	stmts  *stmtCache // the sync pages' statements
	// caughtUp: the first pull has completed (CaughtUp), once known.
	caughtUp atomic.Bool
	// noHolds: applied_holds is empty, as a page found it and no change
	// was applied since (holds.go): pages then skip releasing holds.
	noHolds atomic.Bool
	// writeMu makes writes and their search index updates one at a time
	// (SQLite takes one writer at a time anyway), so the index learns them
	// in the order they were made.
	writeMu sync.Mutex
	// wiped refuses writes once KeepOnlyWaiting has read the outbox (writeMu).
	wiped   bool
	durable *walsync.Syncer // Durable's

	conns     *openConns         // the pool's open connections, for Close
	stop      context.CancelFunc // the index build
	built     sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the cache in dir. The dir is made 0700 and
// the file 0600: the cache holds contacts' names and numbers.
func Open(ctx context.Context, dir string) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("open cache: no data dir given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create cache dir %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("restrict cache dir %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	// Create the file ourselves so SQLite (which gives -wal and -shm the
	// main file's mode) never makes it world-readable under a loose umask.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create cache file %s: %w", path, err)
	}
	_ = f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("restrict cache file %s: %w", path, err)
	}
	// _txlock=immediate: every write transaction takes the write lock at
	// BEGIN, so two writers queue on busy_timeout instead of deadlocking on a
	// read-to-write upgrade.
	dsn := path + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_txlock=immediate&_synchronous=NORMAL" + ReadSettings
	ix := newSearchIndex()
	conns := newOpenConns()
	db := sql.OpenDB(countingConnector{newConnector(dsn, ix.noteWrite), conns})
	c := &Cache{db: db, path: path, search: ix, stmts: newStmtCache(db), durable: walsync.New(path), conns: conns}
	if err := applyMigrations(ctx, db); err != nil {
		_ = db.Close()
		_ = conns.wait(closeWait)
		return nil, err
	}
	// The search index is read from the table in the background (about
	// 0.1 s per 100,000 threads): opening does not wait for it, a search
	// does.
	buildCtx, stop := context.WithCancel(context.Background())
	c.stop = stop
	c.built.Add(1)
	go func() {
		defer c.built.Done()
		ix.build(buildCtx, db, func() func() { c.writeMu.Lock(); return c.writeMu.Unlock })
	}()
	return c, nil
}

// applyMigrations brings the cache's schema up to date. A cache a newer
// app migrated is used as it is, as before goose: the desktop keeps working
// after a downgrade as long as the schema still fits.
func applyMigrations(ctx context.Context, db *sql.DB) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	if _, err := schema.Up(ctx, db, schema.Set{Dialect: goose.DialectSQLite3, FS: fsys}, false); err != nil {
		return fmt.Errorf("migrate cache: %w", err)
	}
	return nil
}

// ReadSettings are the DSN parameters that size SQLite's page cache for
// 100,000 threads (32 MB), exported so benchmarks' raw baselines read with
// the same settings.
const ReadSettings = "&_cache_size=-32768"

// MmapSize is how much of the file SQLite reads through a memory map instead
// of a read call per page: inbox queries touch thousands of pages, and the
// system calls were most of their time.
const MmapSize = 256 << 20

// connector opens connections with the memory map on (go-sqlite3 has no
// DSN parameter for it) and, for the cache, an update hook that tells the
// search index which threads rows were written.
type connector struct {
	dsn    string
	driver *sqlite3.SQLiteDriver
}

func newConnector(dsn string, threadWritten func(rowid int64)) connector {
	return connector{dsn: dsn, driver: &sqlite3.SQLiteDriver{ConnectHook: func(conn *sqlite3.SQLiteConn) error {
		if _, err := conn.Exec(fmt.Sprintf("PRAGMA mmap_size = %d", MmapSize), nil); err != nil {
			return err
		}
		if threadWritten != nil {
			// SQLite skips the hook only for a DELETE without WHERE (the
			// truncate optimisation), which the cache never runs on threads.
			conn.RegisterUpdateHook(func(_ int, _, table string, rowid int64) {
				if table == "threads" {
					threadWritten(rowid)
				}
			})
		}
		return nil
	}}}
}

func (m connector) Connect(context.Context) (driver.Conn, error) { return m.driver.Open(m.dsn) }
func (m connector) Driver() driver.Driver                        { return m.driver }

// OpenDB opens a SQLite file with the cache's read settings (page cache and
// memory map) but none of its code, for raw baselines.
func OpenDB(path string) *sql.DB {
	return sql.OpenDB(newConnector(path+"?_journal_mode=WAL&_busy_timeout=10000&_synchronous=NORMAL"+ReadSettings, nil))
}

// Durable returns once every change committed before the call is on the
// disk (the cache commits with synchronous=NORMAL, which a machine's crash
// can undo): one fsync of the WAL serves every caller waiting.
func (c *Cache) Durable() error { return c.durable.Sync() }

// Path is the cache file.
func (c *Cache) Path() string { return c.path }

// Close closes the database and returns once no connection holds its
// files open (conns.go): a read under way is let finish. Calling it again
// is harmless.
func (c *Cache) Close() error {
	c.closeOnce.Do(func() {
		c.stop()
		c.built.Wait()
		c.stmts.close()
		c.closeErr = c.db.Close()
		// Past closeWait the files are left to the delete that follows,
		// which on Linux succeeds and on Windows names the open file.
		_ = c.conns.wait(closeWait)
	})
	return c.closeErr
}

// Wipe closes the cache and deletes its file with the WAL and shared-memory
// files: signing out must leave no contact data behind.
func (c *Cache) Wipe(ctx context.Context) error {
	if err := c.Close(); err != nil {
		return fmt.Errorf("close cache before wiping: %w", err)
	}
	for _, p := range []string{c.path, c.path + "-wal", c.path + "-shm", c.path + "-journal"} {
		if err := removeFile(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("delete %s: %w", p, err)
		}
	}
	return nil
}

// ErrWiped refuses a write to a cache being wiped.
var ErrWiped = errors.New("this computer's copy was deleted: the sign-in has ended")

// write runs fn in one write transaction: all of it or none of it. The
// search index then reads the threads rows it wrote (a rolled-back write
// reads them unchanged). The write stands whatever that read does: a failed
// one makes searches fail, saying why, until a later write's read succeeds.
func (c *Cache) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if c.wiped {
		return ErrWiped
	}
	err := c.writeTx(ctx, fn)
	if err != nil {
		c.search.forgetGiven() // rolled back: read the rows back as they are
	}
	if c.search.isReady() {
		_ = c.search.refresh(context.WithoutCancel(ctx), c.db)
	}
	return err
}

func (c *Cache) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin cache transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit cache transaction: %w", err)
	}
	return nil
}

// Session is who is signed in, against which server.
type Session struct {
	Token     string
	User      api.User
	ServerURL string
}

const (
	metaCursor    = "cursor"
	metaToken     = "token"
	metaUser      = "user"
	metaServerURL = "server_url"
)

// SaveSession stores the signed-in session (the token is as private as the
// rest of this 0600 file); a sign-in that ended here (EndedSignIn) is over.
func (c *Cache) SaveSession(ctx context.Context, s Session) error {
	user, err := json.Marshal(s.User)
	if err != nil {
		return fmt.Errorf("encode user: %w", err)
	}
	return c.write(ctx, func(tx *sql.Tx) error {
		for k, v := range map[string]string{metaToken: s.Token, metaUser: string(user), metaServerURL: s.ServerURL} {
			if err := setMeta(ctx, tx, k, v); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaEnded); err != nil {
			return fmt.Errorf("forget the ended sign-in: %w", err)
		}
		return nil
	})
}

// LoadSession returns the saved session; ok is false when nobody is signed in.
func (c *Cache) LoadSession(ctx context.Context) (s Session, ok bool, err error) {
	rows, err := c.db.QueryContext(ctx, `SELECT key, value FROM meta WHERE key IN (?, ?, ?)`, metaToken, metaUser, metaServerURL)
	if err != nil {
		return s, false, fmt.Errorf("load session: %w", err)
	}
	defer rows.Close()
	var user string
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return s, false, fmt.Errorf("load session: %w", err)
		}
		switch k {
		case metaToken:
			s.Token = v
		case metaUser:
			user = v
		case metaServerURL:
			s.ServerURL = v
		}
	}
	if err := rows.Err(); err != nil {
		return s, false, fmt.Errorf("load session: %w", err)
	}
	if s.Token == "" {
		return Session{}, false, nil
	}
	if err := json.Unmarshal([]byte(user), &s.User); err != nil {
		return Session{}, false, fmt.Errorf("decode saved user: %w", err)
	}
	return s, true, nil
}

// Cursor is the server version the cache has applied up to.
func (c *Cache) Cursor(ctx context.Context) (int64, error) {
	return cursorTx(ctx, c.db)
}

// cursorTx reads the cursor through q (the database or a transaction).
func cursorTx(ctx context.Context, q txQuerier) (int64, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaCursor).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read cursor: %w", err)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("stored cursor %q: %w", v, err)
	}
	return n, nil
}

func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("set %s: %w", key, err)
	}
	return nil
}

// Times are stored as Unix nanoseconds; NULL is "never".
func nanos(t time.Time) int64 { return t.UTC().UnixNano() }

func nullNanos(t *time.Time) sql.NullInt64 {
	if t == nil || t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: nanos(*t), Valid: true}
}

func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

func fromNull(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromNanos(n.Int64)
	return &t
}

// later returns the later of two optional times.
func later(a, b *time.Time) *time.Time {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case b.After(*a):
		return b
	}
	return a
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
