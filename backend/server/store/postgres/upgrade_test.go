package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestMigrateRefusedUnderRunningServers: a database with migrations this
// build would apply, while servers of the older build run on it (they hold
// their instance locks), is not migrated under them: neither by `textbankd
// migrate` nor by a new server starting beside them (a rolling restart).
// The older servers would go on with a schema they do not know; OPERATIONS
// says to stop them first, and now that is checked. Once they are gone,
// the migration goes ahead.
func TestMigrateRefusedUnderRunningServers(t *testing.T) {
	dbURL := pgtest.URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	running, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer running.Close()
	v, err := running.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The database as the older build left it: its newest migration not
	// yet recorded. (Its effect stays: the test never reaches it.)
	admin, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, `DELETE FROM goose_db_version WHERE version_id = $1`, v.Latest); err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(ctx, dbURL)
	if err == nil {
		st.Close()
		t.Fatal("a database with a pending migration was migrated under a running server")
	}
	for _, want := range []string{"1 textbankd server is running on this database", "stop", "Rolling out"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	var n int64
	if err := admin.QueryRow(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&n); err != nil || n != v.Latest-1 {
		t.Fatalf("schema version %d after the refusal (%v), want %d untouched", n, err, v.Latest-1)
	}
	// The old server stops: the refusal lifts (the migration itself is
	// then tried; its effect is there already, so record it instead).
	running.Close()
	if _, err := admin.Exec(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, v.Latest); err != nil {
		t.Fatal(err)
	}
	st, err = postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("with no server running: %v", err)
	}
	st.Close()
}
