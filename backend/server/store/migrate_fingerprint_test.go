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
	set, err := store.Migrations(goose.DialectSQLite3)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(set.Dialect, db, set.FS, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, storetest.BeforeFingerprint); err != nil {
		t.Fatal(err)
	}
	for _, q := range storetest.FingerprintFixtureSQL {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	storetest.CheckFingerprintMigration(t, st)
}
