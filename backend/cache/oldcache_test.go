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

// oldCache is cacheBefore(t, last) with rows inserted (each an INSERT
// statement), closed: the directory of a cache the app of that migration
// left, for cache.Open to upgrade.
func oldCache(t *testing.T, last int, rows ...string) string {
	t.Helper()
	dir, db := cacheBefore(t, last)
	for _, q := range rows {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	return dir
}

// upgradedCache is oldCache(t, last, rows...) once cache.Open has upgraded
// and closed it: the file, open (closed when the test ends), for the test
// to read what the upgrade made of the rows.
func upgradedCache(t *testing.T, last int, rows ...string) *sql.DB {
	t.Helper()
	dir := oldCache(t, last, rows...)
	c, err := cache.Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("upgrade a cache at %04d: %v", last, err)
	}
	c.Close()
	db, err := sql.Open("sqlite3", filepath.Join(dir, cache.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
