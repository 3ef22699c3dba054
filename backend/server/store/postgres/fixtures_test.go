package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store"
)

// claimFn is a fn that claims up to 32 queued texts for the dispatcher,
// giving them to *claimed and counting got's calls in *calls (nil: not
// counted).
func claimFn(ctx context.Context, claimed *[]store.Outgoing, calls *int) func(store.Tx) error {
	return func(tx store.Tx) error {
		return tx.ClaimQueued(ctx, 32, "message", t0, func(l []store.Outgoing) {
			*claimed = l
			if calls != nil {
				*calls++
			}
		})
	}
}

// sentTextsSQL inserts n sent texts x1..xn of thread k.
func sentTextsSQL(n int) string {
	return fmt.Sprintf(`INSERT INTO messages (id, thread_id, direction, body, status, created_at)
		SELECT 'x' || g, 'k', 'out', 'hi', 'sent', '2026-11-01T00:00:00.000000Z' FROM generate_series(1, %d) g`, n)
}

// planOf runs an EXPLAIN through q (a connection or a transaction) and
// gives its lines.
func planOf(t *testing.T, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, explain string) []string {
	t.Helper()
	rows, err := q.Query(t.Context(), explain)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// rawConn is a connection of its own to the database at url, closed when
// the test ends, with each of setup run on it first.
func rawConn(t *testing.T, url string, setup ...string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	for _, q := range setup {
		if _, err := conn.Exec(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return conn
}
