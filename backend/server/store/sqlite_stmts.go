package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sync"
)

// Prepared statements of the SQLite engine: compiling a statement cost
// about as much as running it, so the writer and the read pool keep theirs.

// uncancelled runs the statements of a shared write transaction, each
// query text prepared once (see stmtCache).
type uncancelled struct {
	tx    *sql.Tx
	stmts *stmtCache
}

func (u uncancelled) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return prepared(u).ExecContext(context.WithoutCancel(ctx), q, args...)
}

func (u uncancelled) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return prepared(u).QueryContext(context.WithoutCancel(ctx), q, args...)
}

func (u uncancelled) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return prepared(u).QueryRowContext(context.WithoutCancel(ctx), q, args...)
}

func (u uncancelled) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return u.tx.PrepareContext(context.WithoutCancel(ctx), q)
}

// prepared runs a transaction's statements with each query text prepared
// once per transaction, and bound from the connection's own prepared
// statement when there is one.
type prepared struct {
	tx    *sql.Tx
	stmts *stmtCache
}

func (p prepared) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := p.stmts.get(ctx, p.tx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (p prepared) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := p.stmts.get(ctx, p.tx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (p prepared) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := p.stmts.get(ctx, p.tx, q)
	if err != nil {
		// A Row carrying the error: the caller's Scan reports it.
		return p.tx.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (p prepared) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return p.tx.PrepareContext(ctx, q)
}

// stmtCache holds one transaction's statements. A query the write
// connection already has prepared (writeStmts) is bound to the transaction
// without compiling it again; any other is prepared for this transaction
// and noted, so that the next group finds it ready.
type stmtCache struct {
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	shared *writeStmts
}

func (c *stmtCache) get(ctx context.Context, tx *sql.Tx, q string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if parent := c.shared.lookup(q); parent != nil {
		st = tx.StmtContext(ctx, parent)
	} else {
		var err error
		if st, err = tx.PrepareContext(ctx, q); err != nil {
			return nil, err
		}
		c.shared.want(q)
	}
	c.m[q] = st
	return st, nil
}

// maxWriteStmts bounds the statements kept prepared on the write
// connection; the hot path uses a few dozen.
const maxWriteStmts = 256

// writeStmts are statements prepared once on the (single) write
// connection and reused by every group transaction: compiling each
// statement anew per transaction cost as much CPU as running it. They are
// prepared between transactions (the connection is free then), never
// inside one, which would wait on the connection the transaction holds.
// The read pool keeps a set of its own (SQLite.readStmts); database/sql
// prepares each on a connection the first time a transaction there uses
// it.
type writeStmts struct {
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	wanted []string
}

func (w *writeStmts) lookup(q string) *sql.Stmt {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.m[q]
}

func (w *writeStmts) want(q string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.m)+len(w.wanted) < maxWriteStmts && !slices.Contains(w.wanted, q) {
		w.wanted = append(w.wanted, q)
	}
}

// prepareWanted prepares the statements transactions asked for. A
// statement that fails to prepare is left out: the transaction that runs
// it prepares it itself and reports the error there.
func (w *writeStmts) prepareWanted(ctx context.Context, db *sql.DB) {
	w.mu.Lock()
	wanted := w.wanted
	w.wanted = nil
	w.mu.Unlock()
	for _, q := range wanted {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		w.mu.Lock()
		if _, dup := w.m[q]; dup {
			_ = st.Close()
		} else {
			w.m[q] = st
		}
		w.mu.Unlock()
	}
}

func (w *writeStmts) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var errs []error
	for q, st := range w.m {
		errs = append(errs, st.Close())
		delete(w.m, q)
	}
	return errors.Join(errs...)
}
