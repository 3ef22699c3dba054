package postgres_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestAnalyzeGrownPlansAgain: a statement prepared while messages was
// nearly empty keeps its plan, a scan of the whole table, after the table
// grew; once AnalyzeGrown has analyzed the table the same prepared
// statement probes the key. Tables that changed little are left alone.
func TestAnalyzeGrownPlansAgain(t *testing.T) {
	url := pgtest.MigratedURL(t)
	st := pgtest.OpenURL(t, url)
	seedText(t, st) // user u, thread k: a few rows in several tables
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(q string) {
		t.Helper()
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	plan := func() string {
		t.Helper()
		return strings.Join(planOf(t, conn, `EXPLAIN (COSTS OFF) EXECUTE by_ids('{x1, x2, x3}')`), "\n")
	}
	// The analyze is the store's to make (and the ALTER, as DDL, comes
	// before the plan: it would make it again).
	exec(`ALTER TABLE messages SET (autovacuum_enabled = off)`)
	// The plan a connection keeps after its first runs, made now.
	exec(`SET plan_cache_mode = force_generic_plan`)
	exec(`PREPARE by_ids (text[]) AS SELECT id, status FROM messages WHERE id = ANY($1)`)
	if p := plan(); !strings.Contains(p, "Seq Scan on messages") {
		t.Fatalf("the test's premise: a plan made for a nearly empty table scans it, got:\n%s", p)
	}
	exec(sentTextsSQL(20000))
	if p := plan(); !strings.Contains(p, "Seq Scan on messages") {
		t.Fatalf("the test's premise: the plan outlives the table's growth, got:\n%s", p)
	}
	// The counts of changes reach the statistics views some time after
	// the transaction ends (forced here; up to 10 s otherwise): ask until
	// they have.
	exec(`SELECT pg_stat_force_next_flush()`)
	var analyzed []string
	for deadline := time.Now().Add(20 * time.Second); ; {
		if analyzed, err = st.AnalyzeGrown(ctx); err != nil {
			t.Fatal(err)
		}
		if len(analyzed) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !slices.Equal(analyzed, []string{"messages"}) {
		t.Fatalf("analyzed %q, want only messages (20,000 new rows; the rest changed by a few)", analyzed)
	}
	if p := plan(); strings.Contains(p, "Seq Scan") || !strings.Contains(p, "messages_pkey") {
		t.Errorf("after the analyze the prepared read should probe messages_pkey:\n%s", p)
	}
	again, err := st.AnalyzeGrown(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Errorf("analyzed %q again without a change", again)
	}
}

// TestAnalyzeGrownOnceAcrossServers: two servers that find the same grown
// table at the same moment analyze it once between them (each takes the
// table's lock and looks again).
func TestAnalyzeGrownOnceAcrossServers(t *testing.T) {
	url := pgtest.MigratedURL(t)
	a, b := pgtest.OpenURL(t, url), pgtest.OpenURL(t, url)
	seedText(t, a)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{
		`ALTER TABLE messages SET (autovacuum_enabled = off)`,
		sentTextsSQL(20000),
		`SELECT pg_stat_force_next_flush()`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// Wait until the views tell of the rows, without analyzing.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var n int64
		if err := conn.QueryRow(ctx, `SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'messages'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n >= 20000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the statistics views still count %d changes of messages", n)
		}
	}
	results := make(chan []string, 2)
	for _, st := range []*postgres.Store{a, b} {
		go func() {
			names, err := st.AnalyzeGrown(ctx)
			if err != nil {
				t.Error(err)
			}
			results <- names
		}()
	}
	n := 0
	for range 2 {
		for _, name := range <-results {
			if name == "messages" {
				n++
			}
		}
	}
	if n != 1 {
		t.Fatalf("messages analyzed %d times by two servers at once, want once", n)
	}
}
