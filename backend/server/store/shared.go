package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Shared holds the Tx methods whose SQL and Go are the same on both
// engines (shared_*.go): one copy, so a fix cannot reach one engine and
// miss the other. Each engine's transaction embeds it over its own Runner;
// what truly differs (dialect SQL, how a unique violation shows, the send
// path's tuned statements) stays in the engine's files.
type Shared struct{ run Runner }

// NewShared is the shared methods of one transaction, run on r.
func NewShared(r Runner) Shared { return Shared{run: r} }

// Runner runs one transaction's statements. Queries are written with "?"
// placeholders (the PostgreSQL engine rewrites them to $n, once per query
// text); times go in and come out as TimeText on both engines.
type Runner interface {
	// Exec runs a statement and returns how many rows it changed.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	// QueryRow's Scan returns an error that errors.Is sql.ErrNoRows when
	// there is no row (pgx's ErrNoRows is one too).
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Rows is a query's answer, read as database/sql's and pgx's are.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Row is QueryRow's answer.
type Row interface {
	Scan(dest ...any) error
}

// affected is ErrNotFound naming what when a statement changed no row.
func affected(n int64, what string) error {
	if n == 0 {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}

// sqliteRunner is the SQLite engine's Runner, on its transaction's
// sqlRunner. A pointer, so that making one costs no allocation: every
// transaction makes one, the writer's group commits too.
type sqliteRunner struct{ t *sqliteTx }

func (r sqliteRunner) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := r.t.tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (r sqliteRunner) Query(ctx context.Context, q string, args ...any) (Rows, error) {
	rows, err := r.t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (r sqliteRunner) QueryRow(ctx context.Context, q string, args ...any) Row {
	return r.t.tx.QueryRowContext(ctx, q, args...)
}

// sqlRows is *sql.Rows as Rows, whose Close returns nothing (pgx's): the
// engines' reads never looked at Close's error, only at Scan's and Err's.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

// scanIDs reads a query of one text column, and closes it.
func scanIDs(rows Rows) ([]string, error) {
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
