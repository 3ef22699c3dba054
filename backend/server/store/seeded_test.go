package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/storetest"
)

// migratedFrom makes a SQLite file migrated to version before, fills it
// with fixture, and opens it as the server does (which migrates it the
// rest of the way); closed when the test ends.
func migratedFrom(t *testing.T, before int64, fixture []string) store.Store {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	storetest.SeedBefore(ctx, t, db, goose.DialectSQLite3, before, fixture)
	db.Close()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
