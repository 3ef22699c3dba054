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
	// The one before it, not Latest-1: migration numbers may skip one.
	var before int64
	if err := admin.QueryRow(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&before); err != nil {
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
	if err := admin.QueryRow(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&n); err != nil || n != before {
		t.Fatalf("schema version %d after the refusal (%v), want %d untouched", n, err, before)
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

// TestMigrateCountsOnlyInstanceLocks: advisory locks that are no server's
// instance lock do not count as running servers. Negative keys (the
// Store's writeLock and exclusiveNS, another application's -1) once
// counted: pg_locks holds a key as two unsigned halves, and the count
// rebuilt it with a shift that overflowed into a negative number, which
// passed "below 2^62". Neither do a key above 2^62 (goose's range) or a
// two-int key, or a key held by a session another application named.
// With one server running the refusal says one; with none, the count is 0
// while the stray locks are held.
func TestMigrateCountsOnlyInstanceLocks(t *testing.T) {
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
	other, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(context.Background())
	// writeLock, exclusiveNS, an application's -1, a key above 2^62, and
	// a two-int key, each held by a session that is no server.
	for _, q := range []string{
		`SELECT pg_advisory_lock(-8387242322309508715)`,
		`SELECT pg_advisory_lock(-8387242322309508608)`,
		`SELECT pg_advisory_lock(-1)`,
		`SELECT pg_advisory_lock(5000000000000000000)`,
		`SELECT pg_advisory_lock(7, 8)`,
	} {
		if _, err := other.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	count := func() int {
		t.Helper()
		var n int
		var from string
		if err := other.QueryRow(ctx, postgres.LiveServersSQL).Scan(&n, &from); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 1 {
		t.Fatalf("%d servers counted, want 1 (the one running)", n)
	}
	if _, err := other.Exec(ctx, `DELETE FROM goose_db_version WHERE version_id = $1`, v.Latest); err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(ctx, dbURL)
	if err == nil {
		st.Close()
		t.Fatal("a database with a pending migration was migrated under a running server")
	}
	if !strings.Contains(err.Error(), "1 textbankd server is running on this database") {
		t.Fatalf("error %q: want one server counted, the one running", err)
	}
	running.Close()
	// PostgreSQL ends the closed sessions (and frees their locks) a moment
	// after the client hangs up.
	n := count()
	for end := time.Now().Add(10 * time.Second); n != 0 && time.Now().Before(end); n = count() {
		time.Sleep(20 * time.Millisecond)
	}
	if n != 0 {
		t.Fatalf("%d servers counted with none running and only other sessions' locks held", n)
	}
	// A key in the instance locks' range, held by a session another
	// application named, is that application's; an unnamed session's may
	// be a server of a build from before instance locks were named, and
	// counts.
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["application_name"] = "billing"
	billing, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer billing.Close(context.Background())
	if _, err := billing.Exec(ctx, `SELECT pg_advisory_lock(42)`); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d servers counted with another application's key 42 held", n)
	}
	if _, err := other.Exec(ctx, `SELECT pg_advisory_lock(43)`); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d servers counted with an unnamed session's key 43 held, want 1 (an older server)", n)
	}
	if _, err := other.Exec(ctx, `SELECT pg_advisory_unlock(43)`); err != nil {
		t.Fatal(err)
	}
	// Put the record back, as the refusal left the schema as it was.
	if _, err := other.Exec(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, v.Latest); err != nil {
		t.Fatal(err)
	}
}
