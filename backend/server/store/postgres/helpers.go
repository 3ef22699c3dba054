package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

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

// insertOnce runs an INSERT ... ON CONFLICT DO NOTHING whose only answer is
// whether it stored its row (dupWhat: store.ErrDuplicate if not; errWhat
// names any other error). After a first text's claim in the same fn it is
// held (pipe) instead, to go with the fn's next statement or its end:
// ClaimInitial has just checked, under the contact's row lock, that the
// text's message and mutation ids are free and the contact was never
// texted (its thread's id is the contact's), so what follows a claim
// (thread, message, feed, mutation) cannot collide, and the server's
// applyPlanned, which writes them and ends with the mutation, returns any
// error as it is. Four round trips a first text become one.
func (t *tx) insertOnce(ctx context.Context, dupWhat, errWhat, q string, args ...any) error {
	return t.insertOnceHeld(ctx, t.claimed, dupWhat, errWhat, q, args...)
}

// insertOnceHeld is insertOnce, held when hold is set: the caller knows
// the row cannot collide.
func (t *tx) insertOnceHeld(ctx context.Context, hold bool, dupWhat, errWhat, q string, args ...any) error {
	check := func(res pgconn.CommandTag) error {
		if !inserted(res) {
			return fmt.Errorf("%s: %w", dupWhat, store.ErrDuplicate)
		}
		return nil
	}
	if hold {
		t.q.holdRefusable(errWhat, insertHeld(q), refusedAs(codeTaken, fmt.Errorf("%s: %w", dupWhat, store.ErrDuplicate)), args...)
		return nil
	}
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", errWhat, err)
	}
	return check(res)
}

// placeholders maps the engine-neutral "?" of a query to PostgreSQL's $n,
// once per query text.
var placeholders sync.Map

func rebind(q string) string {
	if v, ok := placeholders.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	inQuote := false
	for _, r := range q {
		switch {
		case r == '\'':
			inQuote = !inQuote
			b.WriteRune(r)
		case r == '?' && !inQuote:
			n++
			b.WriteString("$" + strconv.Itoa(n))
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	placeholders.Store(q, out)
	return out
}
