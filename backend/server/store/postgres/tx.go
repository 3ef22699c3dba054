package postgres

// The write and read transactions' state, and their statement helpers
// (through the pipe, pipeline.go).

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/textbank/textbank/backend/server/store"
)

// tx implements store.Tx; its methods live in the other files, ported from
// the SQLite engine's.
type tx struct {
	store.Shared // the methods both engines share (store/shared_*.go)
	q            *pipe
	s            *Store
	// key is what the texts this transaction claims carry, epoch its
	// lease's epoch (instancelock.go): both as the transaction began.
	key   int64
	epoch uint64
	// notify holds the users whose feed this transaction appended to.
	notify map[string]struct{}
	// admin holds the campaigns whose Admin section it changed.
	admin map[string]struct{}
	// roles holds the users whose memberships or admin rights it may have
	// changed (RolesChanged).
	roles map[string]struct{}
	// readOnly: a View, where rows are read without being claimed.
	readOnly bool
	// deferReads: reads by ids are held until FlushReads (DeferReads).
	deferReads bool
	// claimed: ClaimInitial claimed a contact and its text's inserts are
	// held (insertOnce), until the text's mutation is recorded.
	claimed bool
	// deferClaims: an optimistic group's run (eachOnce). ClaimInitial holds
	// its claim too, answering yes, and the claim fails the group if it
	// claimed nothing; ClaimQueued holds its claim and answers when the
	// batch's answers come back; a batch of provider answers is held.
	deferClaims bool
	// unseen is a provider id RouteInbound found free in this write
	// transaction: the reply's insert may be held (CreateMessage).
	unseen string
	// routes are the group's replies' routes read ahead and still true
	// (PrefetchRoutes, routes.go).
	routes map[store.RouteKey]store.InboundRoute
}

func (s *Store) newTx(p *pipe, readOnly bool) *tx {
	key, epoch := s.lease.current()
	t := &tx{q: p, s: s, key: key, epoch: epoch, readOnly: readOnly}
	t.Shared = store.NewShared(runner{t})
	return t
}

// runner is store.Runner on a transaction's pipe.
type runner struct{ t *tx }

func (r runner) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := r.t.exec(ctx, q, args...)
	return res.RowsAffected(), err
}

func (r runner) Query(ctx context.Context, q string, args ...any) (store.Rows, error) {
	return r.t.query(ctx, q, args...)
}

func (r runner) QueryRow(ctx context.Context, q string, args ...any) store.Row {
	return r.t.queryRow(ctx, q, args...)
}

// holdWriteLock makes the write lock the first statement of a write
// transaction (sent with the one after it); the commit releases it.
func holdWriteLock(p *pipe) {
	p.hold("wait for the write lock", `SELECT pg_advisory_xact_lock($1)`, writeLock)
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (pgconn.CommandTag, error) {
	return t.q.Exec(ctx, rebind(q), args...)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (pgx.Rows, error) {
	return t.q.Query(ctx, rebind(q), args...)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) pgx.Row {
	return t.q.QueryRow(ctx, rebind(q), args...)
}
