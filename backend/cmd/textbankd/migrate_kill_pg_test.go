package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestPostgresMigrateKilledPartWayResumes is TestMigrateKilledPartWayResumes
// on PostgreSQL (with a cluster, scripts/pg-test.sh): its migrations run
// one transaction each as well, and a killed textbankd's transaction is
// rolled back when PostgreSQL sees its connection gone.
func TestPostgresMigrateKilledPartWayResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	pristine := pgtest.URL(t)
	ctx := context.Background()
	cfg, err := pgx.ParseConfig(pristine)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	storetest.SeedBefore(ctx, t, db, goose.DialectPostgres, storetest.BeforeArrival, oldServerFixture())
	db.Close() // a database copied from may have no one connected
	killMigrations(t, postgresKilled{url: pristine})
}

// postgresKilled is the kill test's PostgreSQL side: url is the old
// server's database, each copy a database made from it.
type postgresKilled struct{ url string }

// copyOld: each copy plans without JIT compilation. With it, a statement
// PostgreSQL guesses dear (its tables never analyzed, as in a database
// just copied) spent seconds compiling and milliseconds running: migration
// 0011's backfill of 12000 unroutable texts 1.5 s, and the check for rows
// pointing at nothing at each copy's end (pgtest) 4.6 s of its 4.7.
func (e postgresKilled) copyOld(t *testing.T) string {
	t.Helper()
	db := pgtest.CopyURL(t, e.url)
	c := pgConnect(t, db)
	defer c.Close(context.Background())
	if _, err := c.Exec(context.Background(), `ALTER DATABASE `+pgx.Identifier{c.Config().Database}.Sanitize()+` SET jit = off`); err != nil {
		t.Fatal(err)
	}
	return "--db=" + db
}

func pgConnect(t *testing.T, db string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), strings.TrimPrefix(db, "--db="))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// settle waits for the killed child's session to end: PostgreSQL runs a
// statement to its end before it finds the client gone, and until then
// the session holds its transaction's locks and goose's migration lock,
// for which the next migrate would wait seconds between tries.
func (postgresKilled) settle(t *testing.T, db string) {
	t.Helper()
	c := pgConnect(t, db)
	defer c.Close(context.Background())
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		var others int
		if err := c.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&others); err != nil {
			t.Fatal(err)
		}
		if others == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions still on the database a minute after the kill", others)
		}
	}
}

func (postgresKilled) version(t *testing.T, db string) int64 {
	t.Helper()
	c := pgConnect(t, db)
	defer c.Close(context.Background())
	var v int64
	if err := c.QueryRow(context.Background(),
		`SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// pgSchemaSQL is a database's schema as lines: columns, constraints,
// indexes, views, triggers and functions.
const pgSchemaSQL = `SELECT 'column ' || table_name || '.' || column_name || ' #' || ordinal_position || ' ' || data_type ||
		' null:' || is_nullable || ' default:' || COALESCE(column_default, '') || ' identity:' || is_identity
	FROM information_schema.columns WHERE table_schema = 'public'
	UNION ALL SELECT 'constraint ' || conrelid::regclass || '.' || conname || ': ' || pg_get_constraintdef(oid)
	FROM pg_constraint WHERE connamespace = 'public'::regnamespace
	UNION ALL SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
	UNION ALL SELECT 'view ' || viewname || ': ' || definition FROM pg_views WHERE schemaname = 'public'
	UNION ALL SELECT 'trigger ' || tgrelid::regclass || '.' || tgname || ': ' || pg_get_triggerdef(oid)
	FROM pg_trigger WHERE NOT tgisinternal
	UNION ALL SELECT 'function ' || proname || ': ' || pg_get_functiondef(oid)
	FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prokind IN ('f', 'p')
	ORDER BY 1`

// same compares the schemas line by line and each table's rows by their
// count and a digest of them, made by PostgreSQL (goose's record
// without its ids and times, which a killed run's transaction uses up);
// a table that differs is then read whole to name a row.
func (e postgresKilled) same(t *testing.T, db, want string) {
	t.Helper()
	got, exp := pgConnect(t, db), pgConnect(t, want)
	defer got.Close(context.Background())
	defer exp.Close(context.Background())
	firstDiff(t, "schema", pgLines(t, got, pgSchemaSQL), pgLines(t, exp, pgSchemaSQL))
	for _, table := range pgLines(t, exp, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`) {
		rows := `SELECT r::text FROM ` + pgx.Identifier{table}.Sanitize() + ` r`
		if table == "goose_db_version" {
			rows = `SELECT version_id || ' ' || is_applied FROM goose_db_version`
		}
		// A sum of the rows' hashes: each row as often as it is there,
		// in any order, without sorting the table.
		digest := `SELECT count(*) || ' ' || COALESCE(sum(('x' || left(md5(line), 15))::bit(60)::bigint), 0) FROM (` + rows + `) AS s(line)`
		if g, w := pgLines(t, got, digest), pgLines(t, exp, digest); g[0] != w[0] {
			firstDiff(t, "table "+table, pgLines(t, got, rows+` ORDER BY 1`), pgLines(t, exp, rows+` ORDER BY 1`))
			t.Fatalf("table %s: %s after the killed runs, %s after one run", table, g[0], w[0])
		}
	}
}

// firstDiff fails t at the first line two sorted listings differ.
func firstDiff(t *testing.T, what string, got, want []string) {
	t.Helper()
	for i := 0; i < len(got) || i < len(want); i++ {
		g, w := "(none)", "(none)"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Fatalf("%s differs at line %d:\n after the killed runs: %s\n after one run:        %s", what, i+1, g, w)
		}
	}
}

// pgLines is q's one text column, row by row.
func pgLines(t *testing.T, c *pgx.Conn, q string) []string {
	t.Helper()
	rows, err := c.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}
