package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/killtest"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/storetest"
)

// migrateKillChildEnv makes the test binary run `textbankd migrate` on the
// database its flag names (--data=DIR or --db=URL) instead of the tests,
// saying "opening" first: an upgraded textbankd starting on an old
// database.
const migrateKillChildEnv = "TEXTBANKD_MIGRATE_KILL_CHILD"

// migrateKillChild runs the child, if this process is one, and exits.
func migrateKillChild() {
	db := os.Getenv(migrateKillChildEnv)
	if db == "" {
		return
	}
	killtest.Begin()
	os.Exit(run(context.Background(), []string{"migrate", db}, os.Stdout, os.Stderr, envOf(nil)))
}

// killedDB is one store engine's side of the kill test. A database is
// named as textbankd's flag names it: --data=DIR or --db=URL.
type killedDB interface {
	// copyOld is a new copy of the database a server of migration 0010
	// left (oldServerFixture).
	copyOld(t *testing.T) string
	// settle returns once nothing a killed child began runs on db.
	settle(t *testing.T, db string)
	// version is the newest migration db has committed.
	version(t *testing.T, db string) int64
	// same fails t unless db holds what want does: schema and rows.
	same(t *testing.T, db, want string)
}

// TestMigrateKilledPartWayResumes: textbankd migrate, on a SQLite database
// a server of migration 0010 left (twenty-odd migrations to go, one
// backfilling every reply), is killed with SIGKILL at random moments,
// again and again. Each migration commits whole with its version (goose,
// one transaction each), so whatever a kill cut is undone: the next run
// goes on from the last migration committed, and the database ends as one
// migrated without a kill does, schema and rows, and sound.
// TestPostgresMigrateKilledPartWayResumes is the same on PostgreSQL.
func TestMigrateKilledPartWayResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	killMigrations(t, sqliteKilled{dir: oldServerDB(t)})
}

// killMigrations migrates one copy of the old database in this process,
// to compare with, and then kills children migrating other copies.
func killMigrations(t *testing.T, e killedDB) {
	want := e.copyOld(t)
	start := time.Now()
	migrateHere(t, want)
	took := time.Since(start)
	latest := e.version(t, want)
	// Each round copies the old database and kills up to two children
	// migrating it, each at a random moment within two thirds of the
	// migrations' time here after it began opening (the second starts
	// where the first left off, with less to do, and is killed only once
	// it has committed a migration of its own: killed before, as it often
	// was, it cut nothing the first had not); then migrates it to the end
	// here.
	rng := rand.New(rand.NewPCG(7, 7))
	var cut []string // where each kill that cut the migrations left the database
	for round := range 8 {
		db := e.copyOld(t)
		var progressed func() bool
		for range 2 {
			finished := migrateKilled(t, db, time.Duration(rng.Int64N(int64(took)*2/3)), progressed)
			e.settle(t, db)
			if finished {
				break
			}
			v := e.version(t, db)
			if progressed != nil && !progressed() {
				t.Fatalf("round %d: the second child was killed with the database at migration %d, where the first left it", round, v)
			}
			if v < latest {
				cut = append(cut, fmt.Sprint(v))
			}
			progressed = func() bool { return e.version(t, db) > v }
		}
		migrateHere(t, db)
		e.same(t, db, want)
	}
	if len(cut) < 3 {
		t.Fatalf("only %d kills cut the migrations (%v long here); the test did not exercise much", len(cut), took)
	}
	t.Logf("%d kills cut the migrations (%v long here), leaving the database at migrations %s", len(cut), took, strings.Join(cut, " "))
}

// migrateHere runs textbankd migrate on db in this process.
func migrateHere(t *testing.T, db string) {
	t.Helper()
	if code, _, errOut := runCLI(t, nil, "", "migrate", db); code != 0 {
		t.Fatalf("migrate: exit %d: %s", code, errOut)
	}
}

// oldServerFixture fills a database of either engine migrated to 0010 as
// a server of that time left it: storetest's conversations, with
// thousands of replies (0011 backfills them), contacts (0018 indexes
// them), conversations (0026 backfills them) and unroutable texts (0013
// indexes them, 0011 backfills them), so that the migrations take a
// while, each its part.
func oldServerFixture() []string {
	n := func(count int) string {
		return fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) `, count)
	}
	return append(storetest.ArrivalFixtureSQL,
		n(1500)+`INSERT INTO messages (id, thread_id, direction, body, status, initial, sender_id, created_at)
			SELECT m.id || '-' || n.i, m.thread_id, m.direction, m.body || ' ' || n.i, m.status, 0, m.sender_id, m.created_at
			FROM messages m, n`,
		n(20000)+`INSERT INTO contacts (id, action_id, phone, state, created_at)
			SELECT 'bc' || i, 'bact', '+1415' || (6000000 + i), CASE WHEN i % 3 = 0 THEN 'texted' ELSE 'unassigned' END,
				'2026-01-01T00:00:00.000000000Z' FROM n`,
		n(12000)+`INSERT INTO threads (id, action_id, campaign_id, organization_id, owner_id, contact_phone, sending_number,
				opted_out, last_message_at, created_at)
			SELECT 'bc' || i, 'bact', 'bold', 'bo', 'bvol', '+1415' || (6000000 + i), '+12025550100', CASE WHEN i % 4 = 0 THEN 1 ELSE 0 END,
				'2026-02-04T00:00:00.000000000Z', '2026-02-01T00:00:00.000000000Z' FROM n`,
		n(12000)+`INSERT INTO unroutable_messages (id, from_phone, to_phone, body, received_at)
			SELECT 'bu' || i, '+1415' || (7000000 + i), '+19995550000', 'Text ' || i, '2026-03-01T00:00:00.000000000Z' FROM n`)
}

// sqliteKilled is the kill test's SQLite side: dir is the data directory
// of the old server's database.
type sqliteKilled struct{ dir string }

// oldServerDB is a data directory holding the old server's SQLite
// database.
func oldServerDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, store.FileName)
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=on&_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.SeedBefore(context.Background(), t, db, goose.DialectSQLite3, storetest.BeforeArrival, oldServerFixture())
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func (e sqliteKilled) copyOld(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	raw, err := os.ReadFile(filepath.Join(e.dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, store.FileName), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return "--data=" + out
}

// settle: a killed SQLite process leaves nothing running.
func (sqliteKilled) settle(*testing.T, string) {}

func (sqliteKilled) version(t *testing.T, db string) int64 {
	t.Helper()
	return serverVersion(t, dataDirOf(db))
}

func (sqliteKilled) same(t *testing.T, db, want string) {
	t.Helper()
	sameDB(t, dataDirOf(db), dataDirOf(want))
}

func dataDirOf(db string) string { return strings.TrimPrefix(db, "--data=") }

// migrateKilled starts a child migrating db and kills it wait after it
// began opening (and not before progressed holds, if given), unless it
// ended first; true if it finished.
func migrateKilled(t *testing.T, db string, wait time.Duration, progressed func() bool) bool {
	t.Helper()
	finished, _ := killtest.Run(t, killtest.Child{Env: migrateKillChildEnv + "=" + db, Wait: wait, Progressed: progressed,
		Done: func(line string) bool { return strings.HasPrefix(line, "schema version ") }})
	return finished
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

// sameDB fails t unless the database in dir is sound and holds what the
// one in wantDir does: the same schema, and in every table the same rows
// as often (goose's record without its times). SQLite compares them, the
// two attached on one connection: each row printed and sorted in Go took
// four fifths of the test under -race.
func sameDB(t *testing.T, dir, wantDir string) {
	t.Helper()
	db := openRead(t, dir)
	defer db.Close()
	db.SetMaxOpenConns(1) // the attached database is the connection's
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
	if _, err := db.Exec(`ATTACH DATABASE ? AS want`, "file:"+filepath.Join(wantDir, store.FileName)+"?mode=ro"); err != nil {
		t.Fatal(err)
	}
	// differ names rows one side has (as often) and the other lacks.
	differ := func(what, q string) {
		t.Helper()
		for _, way := range []struct{ from, to, less string }{{"main", "want", "after the killed runs, not after one run"}, {"want", "main", "after one run, not after the killed runs"}} {
			side := func(schema string) string { return strings.ReplaceAll(q, "{db}", schema) }
			if rows := queryText(t, db, side(way.from)+" EXCEPT "+side(way.to)+" LIMIT 5"); len(rows) > 0 {
				t.Fatalf("%s %s:\n %s", what, way.less, strings.Join(rows, "\n "))
			}
		}
	}
	differ("schema", `SELECT type, name, tbl_name, COALESCE(sql, '') FROM {db}.sqlite_master`)
	tables := queryText(t, db, `SELECT name FROM want.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	for _, table := range tables {
		cols := queryText(t, db, `SELECT '"' || name || '"' FROM pragma_table_info(?, 'want')`, table)
		if table == "goose_db_version" {
			cols = []string{"version_id", "is_applied"}
		}
		list := strings.Join(cols, ", ")
		differ("table "+table+": rows (and how many of each)",
			`SELECT `+list+`, count(*) FROM {db}."`+table+`" GROUP BY `+list)
	}
}

// openRead opens the database in dir to read; serverVersion asks it while
// a child migrates, so it waits out a moment's lock (the child's recovery
// of the WAL a killed one left).
func openRead(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(dir, store.FileName)+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// queryText is each row q answers as one line of its columns' text.
func queryText(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
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
