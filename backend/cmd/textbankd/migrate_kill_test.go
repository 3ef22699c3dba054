package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/storetest"
)

// migrateKillChildEnv makes the test binary run `textbankd migrate` on the
// data directory it names instead of the tests, saying "opening" first:
// an upgraded textbankd starting on an old database.
const migrateKillChildEnv = "TEXTBANKD_MIGRATE_KILL_CHILD"

// migrateKillChild runs the child, if this process is one, and exits.
func migrateKillChild() {
	dir := os.Getenv(migrateKillChildEnv)
	if dir == "" {
		return
	}
	// The parent's kill is timed from here, not from the process's start,
	// which under -race takes longer than the migrations.
	fmt.Println("opening")
	os.Exit(run(context.Background(), []string{"migrate", "--data", dir}, os.Stdout, os.Stderr, envOf(nil)))
}

// TestMigrateKilledPartWayResumes: textbankd migrate, on a database a
// server of migration 0010 left (twenty-one migrations to go, one
// backfilling every reply), is killed with SIGKILL at random moments,
// again and again. Each migration commits whole with its version (goose,
// one transaction each), so whatever a kill cut is undone: the next run
// goes on from the last migration committed, and the database ends as one
// migrated without a kill does, schema and rows, and sound.
func TestMigrateKilledPartWayResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	pristine := oldServerDB(t)
	start := time.Now()
	want := migrateCopy(t, pristine, nil)
	took := time.Since(start)
	latest := serverVersion(t, want)
	wantDump := dumpDB(t, want)
	// Each round copies the old database and kills up to two children
	// migrating it, each at a random moment within two thirds of the
	// migrations' time here after it began opening (the second starts
	// where the first left off, with less to do).
	rng := rand.New(rand.NewPCG(7, 7))
	var cut []string // where each kill that cut the migrations left the database
	for round := 0; round < 8; round++ {
		dir := migrateCopy(t, pristine, func(dir string) {
			for range 2 {
				if migrateKilled(t, dir, time.Duration(rng.Int64N(int64(took)*2/3))) {
					return // migrated before this kill
				}
				if v := serverVersion(t, dir); v < latest {
					cut = append(cut, fmt.Sprint(v))
				}
			}
		})
		got := dumpDB(t, dir)
		if len(got) != len(wantDump) {
			t.Fatalf("%d schema objects and rows after the killed runs, %d after one run", len(got), len(wantDump))
		}
		for i := range got {
			if got[i] != wantDump[i] {
				t.Fatalf("after the killed runs:\n %s\nafter one run:\n %s", got[i], wantDump[i])
			}
		}
	}
	if len(cut) < 3 {
		t.Fatalf("only %d kills cut the migrations (%v long here); the test did not exercise much", len(cut), took)
	}
	t.Logf("%d kills cut the migrations (%v long here), leaving the database at migrations %s", len(cut), took, strings.Join(cut, " "))
}

// oldServerDB is a data directory holding a database a server of
// migration 0010 left: storetest's conversations of that time, with
// thousands of replies (0011 backfills them), contacts (0018 indexes
// them), conversations (0026 backfills them) and unroutable texts (0013
// indexes them), so that the migrations take a while, each its part.
func oldServerDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, store.FileName)
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=on&_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := func(count int) string {
		return fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) `, count)
	}
	storetest.SeedBefore(context.Background(), t, db, goose.DialectSQLite3, storetest.BeforeArrival, append(storetest.ArrivalFixtureSQL,
		n(1500)+`INSERT INTO messages (id, thread_id, direction, body, status, initial, sender_id, created_at)
			SELECT m.id || '-' || n.i, m.thread_id, m.direction, m.body || ' ' || n.i, m.status, 0, m.sender_id, m.created_at
			FROM messages m, n`,
		n(20000)+`INSERT INTO contacts (id, action_id, phone, state, created_at)
			SELECT 'bc' || i, 'bact', '+1415' || (6000000 + i), CASE WHEN i % 3 = 0 THEN 'texted' ELSE 'unassigned' END,
				'2026-01-01T00:00:00.000000000Z' FROM n`,
		n(12000)+`INSERT INTO threads (id, action_id, campaign_id, organization_id, owner_id, contact_phone, sending_number,
				opted_out, last_message_at, created_at)
			SELECT 'bc' || i, 'bact', 'bold', 'bo', 'bvol', '+1415' || (6000000 + i), '+12025550100', i % 4 = 0,
				'2026-02-04T00:00:00.000000000Z', '2026-02-01T00:00:00.000000000Z' FROM n`,
		n(12000)+`INSERT INTO unroutable_messages (id, from_phone, to_phone, body, received_at)
			SELECT 'bu' || i, '+1415' || (7000000 + i), '+19995550000', 'Text ' || i, '2026-03-01T00:00:00.000000000Z' FROM n`))
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// migrateCopy copies the database in dir to a new data directory, runs
// kills on it (when given), then migrates it in this process, which
// finishes what the kills left; it returns the new directory.
func migrateCopy(t *testing.T, dir string, kills func(string)) string {
	t.Helper()
	out := t.TempDir()
	raw, err := os.ReadFile(filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, store.FileName), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if kills != nil {
		kills(out)
	}
	if code, _, errOut := runCLI(t, nil, "", "migrate", "--data", out); code != 0 {
		t.Fatalf("migrate after the kills: exit %d: %s", code, errOut)
	}
	return out
}

// migrateKilled starts a child migrating the database in dir and kills it
// wait after it began opening, unless it ended first; true if it
// finished.
func migrateKilled(t *testing.T, dir string, wait time.Duration) bool {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), migrateKillChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan bool, 1)
	began := make(chan struct{}, 1)
	go func() {
		sc := bufio.NewScanner(out)
		said := false
		for sc.Scan() {
			if sc.Text() == "opening" {
				began <- struct{}{}
			}
			said = said || strings.HasPrefix(sc.Text(), "schema version ")
		}
		done <- said
	}()
	var said bool
	select {
	case <-began: // wait runs from here
	case said = <-done: // it ended before it began opening
		_ = cmd.Wait()
		return said
	}
	select {
	case said = <-done: // it finished first
	case <-time.After(wait):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		said = <-done
	}
	_ = cmd.Wait()
	return said
}

func serverVersion(t *testing.T, dir string) int64 {
	t.Helper()
	db := openRead(t, dir)
	defer db.Close()
	var v int64
	if err := db.QueryRow(`SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied = 1`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// dumpDB is the database in dir as text: its schema, then every row of
// every table (goose's record without its times), each table's rows
// sorted; and it must be sound.
func dumpDB(t *testing.T, dir string) []string {
	t.Helper()
	db := openRead(t, dir)
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
	out := queryText(t, db, `SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master ORDER BY type, name`)
	tables := queryText(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	for _, table := range tables {
		q := `SELECT * FROM "` + table + `"`
		if table == "goose_db_version" {
			q = `SELECT version_id, is_applied FROM goose_db_version`
		}
		rows := queryText(t, db, q)
		sort.Strings(rows)
		for _, r := range rows {
			out = append(out, table+": "+r)
		}
	}
	return out
}

func openRead(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(dir, store.FileName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// queryText is each row q answers as one line of its columns' text.
func queryText(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
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
		if len(cols) == 1 {
			parts[0] = vals[0].String
		}
		out = append(out, strings.Join(parts, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
