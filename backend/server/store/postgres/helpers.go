package postgres

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/textbank/textbank/backend/server/store"
)

// timeLayout is the SQLite engine's: fixed-width UTC text whose lexical
// order is time order, nanoseconds kept. Both engines store times alike.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func ts(t time.Time) string { return t.UTC().Format(timeLayout) }

func tsPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func parseTS(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

func parseNullTS(ns sql.NullString) (*time.Time, error) {
	if !ns.Valid {
		return nil, nil
	}
	t, err := parseTS(ns.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

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
