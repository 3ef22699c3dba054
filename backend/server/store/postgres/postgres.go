// Package postgres is the campaign server's store on PostgreSQL (pgx and its
// pool), for campaigns that run several textbankd servers on one database.
// It keeps the SQLite engine's schema and behaviour (package store): the
// same columns, times as fixed-width UTC text, the same errors and orders.
//
// What several servers need and SQLite never did:
//   - Write transactions take one transaction-level advisory lock first, so
//     feed seqs are handed out in commit order: a client reading "after seq
//     N" never misses a row that commits later with a lower seq (which a
//     plain sequence allows when transactions overlap). Writes thus queue
//     as they do on SQLite's one writer; taken first, before any row lock,
//     the lock cannot deadlock. Each server already commits its concurrent
//     requests together (the server's group commit).
//   - Every commit that appends feed rows NOTIFYs the users concerned, and
//     ListenFeed lets each server poke its own event streams.
//   - Text Again and the dispatcher claim rows with FOR UPDATE SKIP LOCKED;
//     a text being sent carries the claiming server's session lock key, so
//     crash recovery takes only the texts of servers that are gone (the
//     key free for a grace: adopt.go), and a server whose lock connection
//     is cut stops sending the texts of its old key (the lease:
//     instancelock.go).
//   - RunExclusive runs a job (the archiver) on one server at a time.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/textbank/textbank/backend/server/store"
)

// Store is store.Store on a PostgreSQL database.
type Store struct {
	pool *pgxpool.Pool
	// lease is this Store's session advisory lock key, held on lockConn
	// while it is open, and its epochs: texts it claims carry the key, and
	// another server may take them over only once the key has been free
	// for adoptGrace (this server is gone). instancelock.go.
	lease    lease
	lockConn *pgx.Conn // nil while it is being made again (instancelock.go)
	closeMu  sync.Mutex
	closed   bool
	// lockDone stops the lock's keeper, lockKept waits for it.
	lockDone chan struct{}
	lockKept sync.WaitGroup
	// sent, if set, is told of every round trip a transaction makes
	// (tests count them: export_test.go).
	sent func(sqls []string)
	// adopt is what the looks for gone servers' texts know (adopt.go).
	adopt adoption
	// quietChecks counts the pings of quiet listeners that found their
	// connection alive (tests wait on it: export_test.go).
	quietChecks atomic.Int64
}

var _ store.Store = (*Store)(nil)

// writeLock orders write transactions (holdWriteLock); exclusiveNS is
// RunExclusive's namespace. Advisory lock keys are the database's: these
// are negative, instance keys random below 2^62.
const (
	writeLock   int64 = -0x7465787462616e6b // "textbank"
	exclusiveNS int64 = -0x7465787462616e00
)

// defaultMaxConns sizes the pool unless the URL sets pool_max_conns.
const defaultMaxConns = 16

// Open connects to the database at url (postgres://...), brings its schema
// up to date and takes this server's instance lock. It refuses a database
// whose schema is newer than this build knows.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := ParseURL(url)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(url, "pool_max_conns") {
		// Writers queue on one lock each holding a connection; enough
		// more that syncs and event streams still find one.
		cfg.MaxConns = defaultMaxConns
	}
	if _, named := cfg.ConnConfig.RuntimeParams["application_name"]; !named {
		// Who is connected, in pg_stat_activity, unless the URL says.
		cfg.ConnConfig.RuntimeParams["application_name"] = "textbankd"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres %s: %w", redact(cfg), err)
	}
	// The pool connects lazily: without this, a wrong host or database
	// would first show as "migrate postgres: read schema version".
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot connect to postgres %s: %w", redact(cfg), connectHint(connectError{err}, cfg))
	}
	if err := migrateUp(ctx, pool); err != nil {
		pool.Close()
		return nil, privilegeHint(err, cfg)
	}
	s := &Store{pool: pool, lockDone: make(chan struct{}), adopt: adoption{grace: adoptGrace}}
	s.lockConn, err = s.takeInstanceLock(ctx, cfg.ConnConfig)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres %s: %w", redact(cfg), err)
	}
	s.lockKept.Add(1)
	go func() {
		defer s.lockKept.Done()
		s.keepInstanceLock(cfg.ConnConfig, s.lockDone)
	}()
	if err := store.FoldCampaigns(ctx, s); err != nil {
		s.Close()
		return nil, fmt.Errorf("postgres %s: %w", redact(cfg), err)
	}
	return s, nil
}

// redact names the server of a connection without its password.
func redact(cfg *pgxpool.Config) string {
	return fmt.Sprintf("%s@%s:%d/%s", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
}

func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres ping: %w", err)
	}
	return nil
}

// View runs fn in a read-only REPEATABLE READ transaction: one snapshot,
// as a SQLite read transaction sees (read-only, it never fails to
// serialize). ClaimQueued and AdoptOrphaned need Update: they claim rows.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	p, end, err := s.begin(ctx, `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`)
	if err != nil {
		return err
	}
	defer end()
	if err := fn(s.newTx(p, true)); err != nil {
		return err
	}
	return p.commit(ctx)
}

// begin takes a connection from the pool and holds sql (a BEGIN) to go with
// the transaction's first statement; end rolls back what was not committed
// and gives the connection back (the pool drops one left mid-transaction).
func (s *Store) begin(ctx context.Context, sql string) (*pipe, func(), error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("begin transaction: %w", err)
	}
	p := &pipe{c: conn, failedFn: -1, spAt: -1, sentHook: s.sent}
	p.hold("begin transaction", sql)
	return p, func() {
		if p.sent && !p.committed {
			_, _ = conn.Exec(context.WithoutCancel(ctx), `ROLLBACK`)
		}
		conn.Release()
	}, nil
}

// maxAttempts bounds how often a transaction that lost a deadlock is run
// again; each fn must therefore be safe to run twice (the server's are: they
// assign their results, they do not accumulate them).
const maxAttempts = 4

// Update runs fn in a READ COMMITTED write transaction, again from the
// start if PostgreSQL chose it as a deadlock's or serialization's victim.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.updateOnce(ctx, fn)
		if err == nil || !retryable(err) || attempt == maxAttempts {
			return err
		}
	}
}

func (s *Store) updateOnce(ctx context.Context, fn func(store.Tx) error) error {
	p, end, err := s.begin(ctx, `BEGIN`)
	if err != nil {
		return commitError{err}
	}
	defer end()
	t := s.newTx(p, false)
	p.onStmt = t.wrote
	holdWriteLock(t.q)
	if err := fn(t); err != nil {
		return err
	}
	if err := t.commit(ctx); err != nil {
		return commitError{err}
	}
	return nil
}

// commit sends what is still held, the feed's notification and COMMIT in
// one batch.
func (t *tx) commit(ctx context.Context) error {
	t.notifyFeed()
	return t.q.commit(ctx)
}

// UpdateEach runs fns in ONE write transaction, each in a savepoint of its
// own once it sends a statement (eachOnce): a fn that fails is rolled back
// alone (and run again if it lost a deadlock), the others commit together.
// Statements ignore the caller's cancellation, as in SQLite: one request
// going away must not roll back the others' writes.
func (s *Store) UpdateEach(ctx context.Context, fns []func(store.Tx) error) ([]error, error) {
	bg := context.WithoutCancel(ctx)
	if len(fns) == 1 {
		err := s.Update(bg, fns[0])
		if isCommitErr(err) {
			return nil, err
		}
		return []error{err}, nil
	}
	careful := false
	for attempt := 1; ; attempt++ {
		errs, err := s.eachOnce(bg, fns, careful)
		if errors.Is(err, errCareful) {
			// PostgreSQL refused a held statement: the group runs again,
			// each fn's statements answered as it goes.
			careful = true
			continue
		}
		if err == nil || !retryable(err) || attempt >= maxAttempts {
			return errs, err
		}
	}
}

// errCareful: PostgreSQL refused a held statement, whose error cannot be
// told to be the fn's that sees it (eachOnce).
var errCareful = errors.New("a held statement failed; the group runs again, careful")

// eachOnce runs fns in one transaction. The savepoints ride with the fns'
// first statements and the release with the next fn's (pipe): a fn that
// succeeds costs no round trip of its own beyond its statements. What a fn
// held and did not send (feed rows, a claimed text's inserts) goes with
// the next fn's first statement, or the commit. A first text's claim is
// held too (deferClaims), taken to succeed: it nearly always does, its
// checks having passed on a read snapshot a moment before. A group of
// first texts then costs two round trips in all, not two each, which is
// what bounds a server whose database is across a network.
//
// Held statements are writes their fn has made sure cannot fail, and
// claims; if one fails all the same (PostgreSQL refused it, or a claim
// claimed nothing), its error may be another fn's to see, or a fn's that
// takes errors for answers, or nobody's, so the group is given up
// (errCareful) and UpdateEach runs it again careful: then a claim is
// answered before its fn goes on, a fn's held statements are sent when it
// returns, and their error is its own. A held statement that got no
// answer at all (the connection failed) is not run again: its COMMIT may
// have gone through.
func (s *Store) eachOnce(ctx context.Context, fns []func(store.Tx) error, careful bool) ([]error, error) {
	errs := make([]error, len(fns))
	p, end, err := s.begin(ctx, `BEGIN`)
	if err != nil {
		return nil, err
	}
	defer end()
	t := s.newTx(p, false)
	t.deferClaims = !careful
	p.onStmt = t.wrote
	holdWriteLock(t.q)
	heldFailed := func() bool { return !careful && p.failedFn >= 0 }
	for i, fn := range fns {
		p.fn = i
		for attempt := 1; ; attempt++ {
			if careful {
				t.q.hold("savepoint", `SAVEPOINT each`)
			} else {
				t.q.savepointIfSent()
			}
			mark := t.q.mark() // the fn's own statements from here
			t.claimed, t.unseen = false, ""
			if careful {
				p.failedFn, p.failedErr = -1, nil
			}
			errs[i] = fn(t)
			if heldFailed() {
				return nil, errCareful
			}
			if errs[i] == nil && careful && t.q.heldSince(mark) {
				errs[i] = t.q.flush(ctx)
			}
			if errs[i] == nil && careful && p.failedFn == i {
				// PostgreSQL refused one of the fn's statements (a check,
				// checks.go) and the fn took the error for an answer: the
				// transaction is aborted all the same, and the fn failed.
				errs[i] = p.failedErr
			}
			// Optimistic: a fn that sent nothing took no savepoint.
			saved := careful || t.q.savepointDone()
			if errs[i] == nil {
				if saved {
					t.q.hold("release savepoint", `RELEASE SAVEPOINT each`)
				}
				break
			}
			// Statements the fn held and never sent are dropped, not sent
			// to be undone (a careful run's savepoint, held first, is kept).
			t.q.dropFrom(mark)
			if !saved {
				// It sent nothing: there is nothing to undo, and its error
				// is its own refusal (PostgreSQL's would have needed a send).
				break
			}
			var pe *pgconn.PgError
			if !careful && !errors.As(errs[i], &pe) {
				// The fn's own refusal (a reply already stored, a text
				// refused: no rarity), the transaction sound: undone with
				// the next fn's first statement. After PostgreSQL's error
				// it is sent at once, as nothing else may be prepared then.
				t.q.hold("rollback to savepoint", `ROLLBACK TO SAVEPOINT each`)
			} else if _, err := t.q.Exec(ctx, `ROLLBACK TO SAVEPOINT each`); err != nil {
				if heldFailed() {
					return nil, errCareful
				}
				return nil, fmt.Errorf("rollback to savepoint: %w", err)
			}
			t.q.hold("release savepoint", `RELEASE SAVEPOINT each`)
			if !retryable(errs[i]) || attempt >= maxAttempts {
				break
			}
		}
	}
	// COMMIT and the feed's notification are no fn's.
	p.fn = -1
	if err := t.commit(ctx); err != nil {
		if heldFailed() {
			return nil, errCareful
		}
		return nil, err
	}
	return errs, nil
}

// commitError marks the errors of the transaction itself (as opposed to a
// fn's), which UpdateEach reports as its err.
type commitError struct{ err error }

func (e commitError) Error() string { return e.err.Error() }
func (e commitError) Unwrap() error { return e.err }

func isCommitErr(err error) bool {
	var ce commitError
	return errors.As(err, &ce)
}

// retryable: PostgreSQL aborted the transaction to break a deadlock or
// because it could not serialize it; running it again will do.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}
