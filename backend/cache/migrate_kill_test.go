package cache_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/killtest"
)

// migrateChildEnv makes the test binary open (and so upgrade) the cache in
// the directory it names, say "opened" and wait to be killed, instead of
// running the tests: the app starting after an update.
const migrateChildEnv = "TEXTBANK_MIGRATE_CHILD"

func TestMain(m *testing.M) {
	if dir := os.Getenv(migrateChildEnv); dir != "" {
		killtest.Begin()
		c, err := cache.Open(context.Background(), dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "migrate child:", err)
			os.Exit(2)
		}
		fmt.Println("opened")
		_ = c.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestUpgradeKilledPartWayResumes: an app updated from a cache at
// migration 0006 (twelve migrations to go, some rewriting every thread,
// message or outbox row) is killed with SIGKILL at random moments while
// it upgrades the cache, again and again. Each migration commits whole
// with its version (goose, one transaction each), so whatever the kill
// cut is undone: the next start goes on from the last migration
// committed, and the cache ends as one upgraded without a kill does, row
// for row, the outbox's waiting changes included, and sound.
func TestUpgradeKilledPartWayResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	const threads = 8000
	rows := []string{
		fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
			INSERT INTO threads(id, action_id, campaign_id, action_type, contact_name, contact_phone, data, from_server,
				last_message_at, archived, opted_out, blocked, unread, needs_attention)
			SELECT 't' || i, 'a' || (i %% 7), 'c1', 'p2p', 'Contact ' || i, '+1212' || (5550000 + i),
				'{"id":"t' || i || '","reassignedFrom":"' || (CASE WHEN i %% 9 = 0 THEN 'u2' ELSE '' END) || '"}', 1,
				i, i %% 5 = 0, 0, 0, i %% 3 = 0, i %% 4 = 0 FROM n`, threads),
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3)
			INSERT INTO messages(id, thread_id, direction, body, status, initial, created_at)
			SELECT t.id || '-m' || n.i, t.id, CASE WHEN n.i = 2 THEN 'in' ELSE 'out' END, 'Text ' || n.i || ' of ' || t.id,
				'sent', n.i = 1, t.last_message_at * 10 + n.i FROM threads t, n`,
		`INSERT INTO outbox(id, type, payload, thread_id, created_at, rejected)
			SELECT 'mut-' || id, CASE WHEN last_message_at % 11 = 0 THEN 'read' ELSE 'reply' END,
				'{"id":"mut-' || id || '","type":"reply","threadId":"' || id || '","body":"Waiting ' || id || '"}',
				id, last_message_at, last_message_at % 13 = 0 FROM threads WHERE last_message_at % 2 = 0`,
		`INSERT INTO meta(key, value) VALUES ('cursor', '4242')`,
	}
	pristine := oldCache(t, 6, rows...)
	start := time.Now()
	want := upgradeCopy(t, pristine, nil)
	upgrade := time.Since(start)
	// Each round copies the old cache and kills up to two children
	// upgrading it, each at a random moment within the upgrade's time
	// here after it began opening (the rest of an open, about a second
	// of other work, would only dilute the kills: under -race in CI, 1
	// kill in 16 cut the upgrade); the second child starts where the
	// first left off.
	ok, childOpen := openKilled(t, upgradeCopy(t, want, nil), time.Minute, nil)
	if !ok {
		t.Fatal("a child did not open an upgraded cache")
	}
	latest := cacheVersion(t, want)
	wantRows := map[string][]string{}
	for _, table := range []string{"threads", "messages", "outbox", "meta", "thread_counts"} {
		wantRows[table] = tableRows(t, want, table)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	var cut []string // where each kill that cut the upgrade left the cache
	var dir string
	for round := 0; round < 8; round++ {
		dir = upgradeCopy(t, pristine, func(dir string) {
			// The second child is killed only once it has committed a
			// migration of its own: killed before, as it often was, it
			// cut nothing the first had not.
			var progressed func() bool
			for range 2 {
				if ok, _ := openKilled(t, dir, time.Duration(rng.Int64N(int64(upgrade))), progressed); ok {
					return // upgraded before this kill
				}
				v := cacheVersion(t, dir)
				if progressed != nil && !progressed() {
					t.Fatalf("round %d: the second child was killed with the cache at migration %d, where the first left it", round, v)
				}
				if v < latest {
					cut = append(cut, fmt.Sprint(v))
				}
				progressed = func() bool { return cacheVersion(t, dir) > v }
			}
		})
		sameRows(t, dir, wantRows)
	}
	if len(cut) < 3 {
		t.Fatalf("only %d kills cut the upgrade (%v long here, a child's open %v); the test did not exercise much", len(cut), upgrade, childOpen)
	}
	t.Logf("%d kills cut the upgrade, leaving the cache at migrations %s", len(cut), strings.Join(cut, " "))
	var waiting int
	if err := tableCount(t, dir, `SELECT COUNT(*) FROM outbox WHERE rejected = 0`, &waiting); err != nil || waiting < threads/3 {
		t.Fatalf("%d changes waiting in the outbox after the upgrade (%v); want every one made", waiting, err)
	}
}

// sameRows checks that the cache in dir holds want's rows (by table),
// and is sound.
func sameRows(t *testing.T, dir string, want map[string][]string) {
	t.Helper()
	for table, exp := range want {
		got := tableRows(t, dir, table)
		if len(got) != len(exp) {
			t.Fatalf("%s: %d rows after the killed upgrades, %d after one upgrade", table, len(got), len(exp))
		}
		for i := range got {
			if got[i] != exp[i] {
				t.Fatalf("%s row %d differs:\n killed %s\n once   %s", table, i, got[i], exp[i])
			}
		}
	}
	var res string
	if err := tableCount(t, dir, `PRAGMA integrity_check`, &res); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
}

// tableCount scans the one value query answers in the cache in dir.
func tableCount(t *testing.T, dir, query string, into any) error {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return db.QueryRow(query).Scan(into)
}

// upgradeCopy copies the cache in dir to a new directory, runs kills on it
// (when given), then opens it in this process, which finishes the upgrade;
// it returns the new directory.
func upgradeCopy(t *testing.T, dir string, kills func(string)) string {
	t.Helper()
	out := t.TempDir()
	raw, err := os.ReadFile(filepath.Join(dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, cache.FileName), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if kills != nil {
		kills(out)
	}
	c, err := cache.Open(context.Background(), out)
	if err != nil {
		t.Fatalf("open the cache after the kills: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// openKilled starts a child opening the cache in dir and kills it wait
// after it began opening (and not before progressed holds, if given),
// unless it ended first; true if it opened the cache (the upgrade done),
// and how long it ran from there.
func openKilled(t *testing.T, dir string, wait time.Duration, progressed func() bool) (bool, time.Duration) {
	t.Helper()
	return killtest.Run(t, killtest.Child{Env: migrateChildEnv + "=" + dir, Wait: wait, Progressed: progressed,
		Done: func(line string) bool { return line == "opened" }})
}

// tableRows is every row of table in the cache in dir, each as text,
// sorted.
func tableRows(t *testing.T, dir, table string) []string {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(dir, cache.FileName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT * FROM ` + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(cols))
		for i, v := range vals {
			parts[i] = fmt.Sprintf("%s=%q", cols[i], v.String)
		}
		out = append(out, strings.Join(parts, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// cacheVersion is the newest migration applied to the cache in dir. It is
// asked while a child upgrades the cache, so it waits out a moment's lock
// (the child's recovery of the WAL a killed one left).
func cacheVersion(t *testing.T, dir string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(dir, cache.FileName)+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int64
	if err := db.QueryRow(`SELECT MAX(version_id) FROM goose_db_version WHERE is_applied = 1`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
