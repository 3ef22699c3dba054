package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strconv"
	"sync"

	sqlite3 "github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/schema"
	"github.com/textbank/textbank/backend/walsync"
)

//go:embed migrations/sqlite/*.sql migrations/postgres
var migrations embed.FS

// Migrations are the store's migrations for a dialect (goose.DialectSQLite3
// or goose.DialectPostgres), NNNN_*.sql at the root of the returned set.
func Migrations(dialect goose.Dialect) (schema.Set, error) {
	dir := map[goose.Dialect]string{goose.DialectSQLite3: "migrations/sqlite", goose.DialectPostgres: "migrations/postgres"}[dialect]
	if dir == "" {
		return schema.Set{}, fmt.Errorf("store: no migrations for dialect %q", dialect)
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return schema.Set{}, err
	}
	return schema.Set{Dialect: dialect, FS: fsys}, nil
}

// SQLite is the Store on one SQLite file. Writes go through a single
// connection with BEGIN IMMEDIATE, so writers queue in Go instead of failing
// with SQLITE_BUSY; reads use a separate read-only pool that WAL lets run
// beside the writer.
type SQLite struct {
	write *sql.DB
	read  *sql.DB
	wal   *walWatch
	stmts *writeStmts
	// readStmts are the read pool's prepared statements: compiling a
	// query costs about as much as running it, and every request reads
	// (its token at least).
	readStmts *writeStmts
	// tokenStmt is TokenUser's, prepared on the read pool at first use.
	tokenMu   sync.Mutex
	tokenStmt *sql.Stmt
	elsewhere elsewhere       // WrittenElsewhere's
	durable   *walsync.Syncer // Durable's (sqlite_durable.go)
}

var _ Store = (*SQLite)(nil)

// busyTimeoutMS is how long a connection waits for a lock another holds
// (the WAL catch-up puts it back after waiting less, sqlite_wal.go).
const busyTimeoutMS = 10000

// Open opens (creating if needed) the database file at path and runs the
// embedded migrations.
func Open(ctx context.Context, path string) (*SQLite, error) {
	return OpenWith(ctx, path, Options{})
}

// Options are what textbankd's organizer commands open the store with
// that the server does not.
type Options struct {
	// Pending, when the database has migrations to apply (and is not
	// new), is asked first with its version; its error stops the open
	// with nothing applied: a command leaves alone a database an older
	// server runs on.
	Pending func(schema.Version) error
	// SyncEachCommit makes every commit of the writer wait for the disk
	// (synchronous=FULL): a command prints that it is done once its
	// transaction has committed, and nothing syncs after it (the server
	// syncs only what it answers, sqlite_durable.go), so with NORMAL a
	// power cut after "Created account" could undo the account. A
	// command commits a few times, an import once, so the fsync each
	// costs nothing anyone waits on; the server's writer keeps NORMAL.
	SyncEachCommit bool
}

// OpenWith is Open with the organizer commands' options.
func OpenWith(ctx context.Context, path string, o Options) (*SQLite, error) {
	params := url.Values{
		"_journal_mode": {"WAL"},
		"_foreign_keys": {"on"},
		"_busy_timeout": {strconv.Itoa(busyTimeoutMS)},
		"_synchronous":  {"NORMAL"},
	}
	memstatusOff()
	if err := walVFSOnce(); err != nil {
		return nil, err
	}
	wp := cloneValues(params)
	wp.Set("_txlock", "immediate")
	wp.Set("vfs", walVFS) // one write per transaction's frames (sqlite_walvfs.go)
	// The writer touches index pages all over the file (a send updates
	// about a dozen); with SQLite's default 2 MB cache most were read
	// back from the OS on every transaction. 32 MB keeps a campaign's hot
	// pages in the writer's cache.
	wp.Set("_cache_size", "-32768")
	if o.SyncEachCommit {
		wp.Set("_synchronous", "FULL")
	}
	// The WAL is checkpointed beside the writer (sqlite_wal.go).
	wal := newWALWatch(path + "?" + params.Encode())
	write := sql.OpenDB(connector(path+"?"+wp.Encode(), wal.watch))
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)

	set, err := Migrations(goose.DialectSQLite3)
	if err != nil {
		write.Close()
		wal.close()
		return nil, err
	}
	if o.Pending != nil {
		if v, err := schema.Status(ctx, write, set); err == nil && v.Current > 0 && v.Current < v.Latest {
			if err := o.Pending(v); err != nil {
				write.Close()
				wal.close()
				return nil, err
			}
		}
	}
	// A database a newer textbankd migrated is refused before anything
	// touches it: this program's SQL may not fit its schema.
	if _, err := schema.Up(ctx, write, set, true); err != nil {
		write.Close()
		wal.close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}

	rp := cloneValues(params)
	rp.Set("_query_only", "on")
	read := sql.OpenDB(connector(path+"?"+rp.Encode(), nil))
	read.SetMaxOpenConns(4)
	// Idle connections stay open: each holds the statements prepared on it.
	read.SetMaxIdleConns(4)
	s := &SQLite{write: write, read: read, wal: wal, stmts: &writeStmts{m: map[string]*sql.Stmt{}},
		readStmts: &writeStmts{m: map[string]*sql.Stmt{}}, durable: walsync.New(path)}
	if err := FoldCampaigns(ctx, s); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// dsnConnector opens connections to one SQLite DSN with the session
// settings no DSN parameter names.
type dsnConnector struct {
	dsn string
	drv *sqlite3.SQLiteDriver
}

// connector opens connections to dsn with the session settings every
// connection gets, then runs onConnect (if not nil) on each.
func connector(dsn string, onConnect func(*sqlite3.SQLiteConn) error) dsnConnector {
	return dsnConnector{dsn: dsn, drv: &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		// Savepoints (one per update of a group commit) and statements
		// that may fail midway journal the pages they change; on disk
		// that journal spilled past 64 KB into a temporary file, about 37
		// pwrite calls per send. In memory it is a copy.
		if _, err := c.Exec(`PRAGMA temp_store = MEMORY`, nil); err != nil {
			return fmt.Errorf("temp_store: %w", err)
		}
		// Statements planned once, not on every run (sqlite_qpsg.go).
		if err := enableQPSG(c); err != nil {
			return err
		}
		if onConnect != nil {
			return onConnect(c)
		}
		return nil
	}}}
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.drv }

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func (s *SQLite) Update(ctx context.Context, fn func(Tx) error) error {
	defer s.wal.committed()
	return runTx(ctx, s.write, fn)
}

// View runs fn in a read transaction on the read pool, its statements
// prepared once per connection (they are prepared between transactions,
// like the writer's: preparing on the pool inside one could wait for a
// connection while holding another).
func (s *SQLite) View(ctx context.Context, fn func(Tx) error) error {
	s.readStmts.prepareWanted(ctx, s.read)
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	run := prepared{tx: tx, stmts: &stmtCache{m: map[string]*sql.Stmt{}, shared: s.readStmts}}
	if err := fn(newSQLiteTx(run)); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func runTx(ctx context.Context, db *sql.DB, fn func(Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(newSQLiteTx(tx)); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (s *SQLite) Ping(ctx context.Context) error {
	var one int
	if err := s.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("sqlite ping: %w", err)
	}
	return nil
}

func (s *SQLite) SchemaVersion(ctx context.Context) (schema.Version, error) {
	set, err := Migrations(goose.DialectSQLite3)
	if err != nil {
		return schema.Version{}, err
	}
	return schema.Status(ctx, s.write, set)
}

func (s *SQLite) Close() error {
	var tokenErr error
	s.tokenMu.Lock()
	if s.tokenStmt != nil {
		tokenErr = s.tokenStmt.Close()
	}
	s.tokenMu.Unlock()
	return errors.Join(tokenErr, s.stmts.close(), s.read.Close(), s.write.Close(), s.wal.close())
}

// sqliteTx implements Tx; its methods live in the sqlite_*.go files, and
// those both engines share in shared_*.go.
type sqliteTx struct {
	Shared
	tx sqlRunner
}

func newSQLiteTx(r sqlRunner) *sqliteTx {
	t := &sqliteTx{tx: r}
	t.Shared = NewShared(sqliteRunner{t})
	return t
}

// sqlRunner is what Tx methods run statements on: a *sql.Tx, or in
// UpdateEach one that ignores each caller's cancellation (an interrupted
// write would roll back the whole shared transaction under the others).
type sqlRunner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// UpdateEach runs fns in ONE write transaction, each as if inside its own
// savepoint: a fn that fails is rolled back alone and its error returned in
// its place, the others commit together. The error is the commit's (then
// nothing of any fn is stored).
//
// Failures are rare (a refusal is a result, not an error), so a group is
// first run without savepoints: two statements fewer per update on the one
// writer. Only if some fn fails is that transaction rolled back and the
// group run again with a savepoint per fn. A fn may therefore run twice;
// fns must not keep state from a run that failed (the PostgreSQL engine
// retries them too).
func (s *SQLite) UpdateEach(ctx context.Context, fns []func(Tx) error) ([]error, error) {
	bg := context.WithoutCancel(ctx)
	s.stmts.prepareWanted(bg, s.write)
	if len(fns) > 1 {
		errs, err := s.runGroup(ctx, fns, false)
		if err != nil || !slices.ContainsFunc(errs, func(e error) bool { return e != nil }) {
			return errs, err
		}
		// Some fn failed and the whole transaction was undone: run the
		// group again, each fn in a savepoint.
	}
	return s.runGroup(ctx, fns, true)
}

// runGroup runs fns in one write transaction. With savepoints, a failing
// fn's writes are undone alone (a group of one needs none: its failure
// rolls back the whole transaction). Without, the first failing fn rolls
// back the whole transaction and the fns after it are not run.
func (s *SQLite) runGroup(ctx context.Context, fns []func(Tx) error, savepoints bool) ([]error, error) {
	errs := make([]error, len(fns))
	bg := context.WithoutCancel(ctx)
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	run := uncancelled{tx: tx, stmts: &stmtCache{m: map[string]*sql.Stmt{}, shared: s.stmts}}
	stx := newSQLiteTx(run)
	if !savepoints || len(fns) == 1 {
		for i, fn := range fns {
			if errs[i] = fn(stx); errs[i] != nil {
				_ = tx.Rollback()
				return errs, nil
			}
		}
		if err := tx.Commit(); err != nil {
			return nil, fmt.Errorf("commit: %w", err)
		}
		s.wal.committed()
		return errs, nil
	}
	// The savepoint statements run prepared, like the updates' own: two
	// of them per update, compiled anew each time, cost as much as a
	// small insert.
	for i, fn := range fns {
		if _, err := run.ExecContext(bg, `SAVEPOINT each`); err != nil {
			_ = tx.Rollback()
			return nil, fmt.Errorf("savepoint: %w", err)
		}
		if errs[i] = fn(stx); errs[i] != nil {
			if _, err := run.ExecContext(bg, `ROLLBACK TO each`); err != nil {
				_ = tx.Rollback()
				return nil, fmt.Errorf("rollback to savepoint: %w", err)
			}
		}
		if _, err := run.ExecContext(bg, `RELEASE each`); err != nil {
			_ = tx.Rollback()
			return nil, fmt.Errorf("release savepoint: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	s.wal.committed()
	return errs, nil
}

func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint &&
		(se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// notFound turns sql.ErrNoRows into ErrNotFound naming what was looked for.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}
