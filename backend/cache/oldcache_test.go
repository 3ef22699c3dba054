package cache_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/schema"
)

// cacheBefore makes a cache file in a new directory as an app whose last
// migration was number last left it, and returns the directory and the
// file, open, for a migration test to fill before cache.Open upgrades it.
func cacheBefore(t *testing.T, last int) (string, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	old := fstest.MapFS{}
	files, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Name()[:4] > fmt.Sprintf("%04d", last) {
			continue
		}
		body, err := os.ReadFile(filepath.Join("migrations", f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		old[f.Name()] = &fstest.MapFile{Data: body}
	}
	dir := t.TempDir()
	db, err := sql.Open("sqlite3", filepath.Join(dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if v, err := schema.Up(ctx, db, schema.Set{Dialect: goose.DialectSQLite3, FS: old}, false); err != nil || v.Current != int64(last) {
		t.Fatalf("make a cache at %04d: %+v, %v", last, v, err)
	}
	return dir, db
}
