package cache_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/cache"
)

// TestOpenAdoptsAnOldRunnersCache: a cache the app made before goose
// (every file run whole, recorded by name in schema_migrations) opens, with
// nothing applied twice and its rows kept.
func TestOpenAdoptsAnOldRunnersCache(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sql.Open("sqlite3", filepath.Join(dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	old := 0
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".sql") || f.Name()[:4] > "0003" {
			continue // the old runner shipped 0001 to 0003
		}
		body, err := os.ReadFile(filepath.Join("migrations", f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", f.Name(), err)
		}
		if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (?, '2026-03-01T00:00:00Z')`, strings.TrimSuffix(f.Name(), ".sql")); err != nil {
			t.Fatal(err)
		}
		old++
	}
	if old != 3 {
		t.Fatalf("found %d old migrations, want 3", old)
	}
	if _, err := db.Exec(`INSERT INTO meta(key, value) VALUES ('kept', 'yes')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatalf("open a cache the old runner made: %v", err)
	}
	c.Close()
	db, err = sql.Open("sqlite3", filepath.Join(dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var kept string
	if err := db.QueryRow(`SELECT value FROM meta WHERE key = 'kept'`).Scan(&kept); err != nil || kept != "yes" {
		t.Fatalf("row from before: %q, %v", kept, err)
	}
	var legacy, applied int
	if err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'`).Scan(&legacy); err != nil || legacy != 0 {
		t.Fatalf("schema_migrations left: %d, %v", legacy, err)
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM goose_db_version WHERE version_id BETWEEN 1 AND 3`).Scan(&applied); err != nil || applied != 3 {
		t.Fatalf("goose records %d of versions 1-3 (%v), want each once", applied, err)
	}
}
