package schema_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	_ "github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/schema"
)

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// tables lists the schema's own tables (not goose's or SQLite's).
func tables(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT IN ('goose_db_version', 'sqlite_sequence') ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return strings.Join(names, ",")
}

func set(files fstest.MapFS) schema.Set {
	return schema.Set{Dialect: goose.DialectSQLite3, FS: files}
}

func file(body string) *fstest.MapFile { return &fstest.MapFile{Data: []byte("-- +goose Up\n" + body)} }

func TestUp(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name        string
		files       fstest.MapFS
		wantErr     string
		wantTables  string
		wantVersion int64
	}{
		{
			name: "in version order, comments and triggers",
			files: fstest.MapFS{
				"0002_b.sql": file("-- b follows a; its comment; has semicolons\nALTER TABLE a ADD COLUMN y TEXT;\nCREATE TABLE b (id TEXT);\n" +
					"-- +goose StatementBegin\nCREATE TRIGGER b_ins AFTER INSERT ON b BEGIN\n  UPDATE a SET y = new.id;\n  UPDATE a SET x = new.id;\nEND;\n-- +goose StatementEnd\n"),
				"0001_a.sql": file("CREATE TABLE a (x TEXT);"),
				"README.md":  {Data: []byte("not a migration")},
			},
			wantTables:  "a,b",
			wantVersion: 2,
		},
		{
			name: "a broken migration is named, rolled back, and earlier ones stay",
			files: fstest.MapFS{
				"0001_a.sql":   file("CREATE TABLE a (x TEXT);"),
				"0002_bad.sql": file("CREATE TABLE c (id TEXT);\nCREATE TABEL oops;"),
			},
			wantErr:     "0002_bad.sql",
			wantTables:  "a",
			wantVersion: 1,
		},
		{
			name:    "a file without the goose annotation is refused",
			files:   fstest.MapFS{"0001_a.sql": {Data: []byte("CREATE TABLE a (x TEXT);")}},
			wantErr: "0001_a.sql",
		},
		{
			name:    "no migrations",
			files:   fstest.MapFS{},
			wantErr: "no migration",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t)
			v, err := schema.Up(ctx, db, set(tc.files), true)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			} else if v.Current != tc.wantVersion || v.Latest != tc.wantVersion {
				t.Fatalf("version = %+v, want %d", v, tc.wantVersion)
			}
			if got := tables(t, db); got != tc.wantTables {
				t.Fatalf("tables = %q, want %q", got, tc.wantTables)
			}
			if tc.wantVersion > 0 && tc.wantErr != "" {
				v, err := schema.Status(ctx, db, set(tc.files))
				if err != nil || v.Current != tc.wantVersion {
					t.Fatalf("after the failure: %+v, %v; want version %d", v, err, tc.wantVersion)
				}
			}
		})
	}
}

func TestUpTwiceAndOutOfOrder(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	files := fstest.MapFS{"0001_a.sql": file("CREATE TABLE a (x TEXT);"), "0003_c.sql": file("CREATE TABLE c (x TEXT);")}
	for i := range 2 {
		if v, err := schema.Up(ctx, db, set(files), true); err != nil || v.Current != 3 {
			t.Fatalf("run %d: %+v, %v", i+1, v, err)
		}
	}
	// 0002 arrives after 0003 was applied (two branches merged): it runs.
	files["0002_b.sql"] = file("CREATE TABLE b (x TEXT);")
	v, err := schema.Up(ctx, db, set(files), true)
	if err != nil || v.Current != 3 || v.Latest != 3 {
		t.Fatalf("with an older migration added: %+v, %v", v, err)
	}
	if got := tables(t, db); got != "a,b,c" {
		t.Fatalf("tables = %q", got)
	}
}

func TestTooNew(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	newer := fstest.MapFS{"0001_a.sql": file("CREATE TABLE a (x TEXT);"), "0002_b.sql": file("CREATE TABLE b (x TEXT);")}
	if _, err := schema.Up(ctx, db, set(newer), true); err != nil {
		t.Fatal(err)
	}
	older := fstest.MapFS{"0001_a.sql": file("CREATE TABLE a (x TEXT);")}
	v, err := schema.Status(ctx, db, set(older))
	if err != nil || !v.TooNew() || v.Current != 2 || v.Latest != 1 {
		t.Fatalf("Status = %+v, %v; want current 2, latest 1, too new", v, err)
	}
	_, err = schema.Up(ctx, db, set(older), true)
	if !errors.Is(err, schema.ErrTooNew) || !strings.Contains(err.Error(), "migration 2") || !strings.Contains(err.Error(), "up to 1") {
		t.Fatalf("Up of an older program = %v, want ErrTooNew naming both versions", err)
	}
	// The desktop cache's choice: go on with the newer schema.
	if v, err := schema.Up(ctx, db, set(older), false); err != nil || v.Current != 2 {
		t.Fatalf("Up without refusing = %+v, %v", v, err)
	}
	if (schema.Version{Current: 1, Latest: 1}).Check() != nil {
		t.Fatal("Check of an up-to-date database failed")
	}
}

// legacyDB is a database as the runner before goose left it: each file run
// whole, recorded by name in schema_migrations.
func legacyDB(t *testing.T, applied ...string) *sql.DB {
	t.Helper()
	db := openDB(t)
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, name := range applied {
		if _, err := db.Exec(`CREATE TABLE ` + strings.SplitN(name, "_", 2)[1] + ` (x TEXT)`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (?, '2026-01-01T00:00:00Z')`, name); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestAdoptsTheOldRunnersRecord(t *testing.T) {
	ctx := context.Background()
	db := legacyDB(t, "0001_a", "0002_b")
	files := fstest.MapFS{
		"0001_a.sql": file("CREATE TABLE a (x TEXT);"),
		"0002_b.sql": file("CREATE TABLE b (x TEXT);"),
		"0003_c.sql": file("CREATE TABLE c (x TEXT);"),
	}
	v, err := schema.Up(ctx, db, set(files), true)
	if err != nil {
		t.Fatalf("Up on an old runner's database: %v (a rerun of 0001 would fail: table a exists)", err)
	}
	if v.Current != 3 {
		t.Fatalf("version = %+v, want 3", v)
	}
	if got := tables(t, db); got != "a,b,c" {
		t.Fatalf("tables = %q, want a,b,c (schema_migrations dropped)", got)
	}
	var versions []int64
	rows, err := db.Query(`SELECT version_id FROM goose_db_version ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	if got := fmt.Sprint(versions); got != "[0 1 2 3]" {
		t.Fatalf("goose record = %v, want 0,1,2,3", versions)
	}
}

func TestRefusesAnUnreadableOldRecord(t *testing.T) {
	db := legacyDB(t, "0001_a")
	if _, err := db.Exec(`INSERT INTO schema_migrations VALUES ('init', 'x')`); err != nil {
		t.Fatal(err)
	}
	_, err := schema.Up(context.Background(), db, set(fstest.MapFS{"0001_a.sql": file("CREATE TABLE a (x TEXT);")}), true)
	if err == nil || !strings.Contains(err.Error(), `"init"`) {
		t.Fatalf("err = %v, want the bad record named", err)
	}
	// Nothing changed: the old record is still there, goose's is not.
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'goose_db_version'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("goose table created (%d, %v) despite the refusal", n, err)
	}
}
