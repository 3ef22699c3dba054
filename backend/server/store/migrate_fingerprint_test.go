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

// TestMigrationKeepsMutationsWithoutFingerprint: migration 0017 adds the
// fingerprint of each mutation's content; a mutation recorded before it
// still reads back, with none (storetest.CheckFingerprintMigration).
func TestMigrationKeepsMutationsWithoutFingerprint(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	storetest.SeedBefore(ctx, t, db, goose.DialectSQLite3, storetest.BeforeFingerprint, storetest.FingerprintFixtureSQL)
	db.Close()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	storetest.CheckFingerprintMigration(t, st)
}
