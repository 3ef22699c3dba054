package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/textbank/textbank/backend/server/store"
)

// notFound turns pgx.ErrNoRows into store.ErrNotFound naming what was
// looked for.
func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func mustAffect(res pgconn.CommandTag, what string) error {
	if res.RowsAffected() == 0 {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return nil
}

// inserted reports whether an INSERT ... ON CONFLICT DO NOTHING stored its
// row. Inserts that may collide use it rather than failing: an error would
// abort the whole PostgreSQL transaction, where SQLite undoes only the
// statement and lets the caller go on.
func inserted(res pgconn.CommandTag) bool { return res.RowsAffected() == 1 }
