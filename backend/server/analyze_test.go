package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// TestRunAnalyzesGrownTables: a running server on PostgreSQL analyzes a
// table that grew from nothing, so that statements prepared while it was
// empty are planned again (store/postgres/analyze.go), without waiting for
// autovacuum's next look.
func TestRunAnalyzesGrownTables(t *testing.T) {
	if !pgtest.Available() {
		t.Skip("PostgreSQL only: SQLite plans each statement when it is prepared")
	}
	ctx := context.Background()
	url := pgtest.MigratedURL(t)
	st := pgtest.OpenURL(t, url)
	netw := simnet.New(simnet.Config{Mix: map[simnet.Kind]int{simnet.Silent: 1}, Seed: 1}, zerolog.Nop())
	defer netw.Close()
	run, err := server.Run(ctx, server.RunOptions{Config: server.Config{Store: st, Provider: netw, Log: zerolog.Nop()}})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close(ctx)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) }) // after the rows' cleanup below
	analyzed := func() bool {
		t.Helper()
		var at *time.Time
		if err := conn.QueryRow(ctx, `SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'messages'`).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at != nil
	}
	if analyzed() {
		t.Fatal("messages analyzed before it held anything")
	}
	// Autovacuum must not analyze it first (it would reset the count the
	// server goes by); the rows stand for texts and have no thread.
	t.Cleanup(func() {
		if _, err := conn.Exec(context.Background(), `DELETE FROM messages WHERE thread_id = 'k'`); err != nil {
			t.Error(err)
		}
	})
	for _, q := range []string{
		`ALTER TABLE messages SET (autovacuum_enabled = off)`,
		`INSERT INTO messages (id, thread_id, direction, body, status, created_at)
		SELECT 'x' || g, 'k', 'out', 'hi', 'sent', '2026-11-01T00:00:00.000000Z' FROM generate_series(1, 6000) g`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	// The statistics views hear of the insert within about 10 s.
	for deadline := time.Now().Add(30 * time.Second); !analyzed(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the server did not analyze messages after 6,000 rows went in")
		}
	}
}
