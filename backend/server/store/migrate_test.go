package store_test

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/schema"
	"github.com/textbank/textbank/backend/server/store"
)

// oldRunnerDB makes a database the way textbankd did before goose: each
// migration file run whole, recorded by name in schema_migrations (the
// table and columns of the old backend/migrate), with a user in it.
func oldRunnerDB(t *testing.T, path string) {
	t.Helper()
	set, err := store.Migrations(goose.DialectSQLite3)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version    TEXT PRIMARY KEY,
		applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(set.FS, "*.sql")
	if err != nil || len(names) < 3 {
		t.Fatalf("migrations %v, %v", names, err)
	}
	for _, name := range names[:3] { // the three files the old runner shipped
		body, err := fs.ReadFile(set.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := db.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
			strings.TrimSuffix(name, ".sql"), "2026-03-01T00:00:00Z"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO users (id, name, email, password_hash, created_at)
		VALUES ('old', 'Old Timer', 'old@example.org', 'h', '2026-03-01T00:00:00.000000000Z')`); err != nil {
		t.Fatal(err)
	}
}

func TestOpenUpgradesAnOldRunnersDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	oldRunnerDB(t, path)
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open a database the old runner made: %v", err)
	}
	defer st.Close()
	u := get(t, st, func(tx store.Tx) (store.User, error) { return tx.UserByEmail(ctx, "old@example.org") })
	if u.ID != "old" {
		t.Fatalf("user after the upgrade = %+v", u)
	}
	v, err := st.SchemaVersion(ctx)
	if err != nil || v.Current != v.Latest || v.Latest < 3 {
		t.Fatalf("SchemaVersion = %+v, %v; want current = latest >= 3", v, err)
	}
}

func TestOpenRefusesANewerDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	st := open(t, path)
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// A newer textbankd applied one more migration.
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, 1)`, v.Latest+1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = store.Open(ctx, path)
	if !errors.Is(err, schema.ErrTooNew) {
		t.Fatalf("Open of a newer database = %v, want ErrTooNew", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
}

func get[T any](t *testing.T, st store.Store, fn func(tx store.Tx) (T, error)) T {
	t.Helper()
	var out T
	if err := st.View(context.Background(), func(tx store.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestNoMigrationOutsideADialect: goose reads migrations/sqlite and
// migrations/postgres only; a file left in migrations/ (where they lived
// before goose) would never run.
func TestNoMigrationOutsideADialect(t *testing.T) {
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") {
			t.Errorf("migrations/%s is never applied: move it to migrations/sqlite/ (or postgres/) and start it with -- +goose Up", e.Name())
		}
	}
	for _, dir := range []string{"sqlite", "postgres"} {
		files, err := filepath.Glob(filepath.Join("migrations", dir, "*.sql"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(body), "-- +goose Up") {
				t.Errorf("%s lacks the -- +goose Up annotation", f)
			}
		}
	}
}
