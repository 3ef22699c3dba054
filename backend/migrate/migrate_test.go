package migrate

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	_ "github.com/mattn/go-sqlite3"
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

func tables(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'schema_migrations' ORDER BY name`)
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

func TestApply(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name       string
		files      fstest.MapFS
		wantErr    string
		wantTables string
	}{
		{
			name: "in name order",
			files: fstest.MapFS{
				"m/0002_b.sql": {Data: []byte(`ALTER TABLE a ADD COLUMN y TEXT; CREATE TABLE b (id TEXT);`)},
				"m/0001_a.sql": {Data: []byte(`CREATE TABLE a (x TEXT);`)},
				"m/README":     {Data: []byte(`not a migration`)},
			},
			wantTables: "a,b",
		},
		{
			name: "a broken migration is named, rolled back, and earlier ones stay",
			files: fstest.MapFS{
				"m/0001_a.sql":   {Data: []byte(`CREATE TABLE a (x TEXT);`)},
				"m/0002_bad.sql": {Data: []byte(`CREATE TABLE c (id TEXT); CREATE TABEL oops;`)},
			},
			wantErr:    "apply migration 0002_bad",
			wantTables: "a",
		},
		{name: "no migrations", files: fstest.MapFS{}, wantTables: ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t)
			err := Apply(ctx, db, tc.files, "m")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if got := tables(t, db); got != tc.wantTables {
				t.Fatalf("tables = %q, want %q", got, tc.wantTables)
			}
		})
	}
}

func TestApplyTwiceRunsEachOnce(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	files := fstest.MapFS{"m/0001_a.sql": {Data: []byte(`CREATE TABLE a (x TEXT);`)}}
	for i := 0; i < 2; i++ {
		if err := Apply(ctx, db, files, "m"); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	files["m/0002_b.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE b (x TEXT);`)}
	if err := Apply(ctx, db, files, "m"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("recorded %d migrations (%v), want 2", n, err)
	}
}
