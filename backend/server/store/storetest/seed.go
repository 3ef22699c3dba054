package storetest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/server/store"
)

// SeedBefore migrates db (a fresh database of dialect) up to version only
// and runs fixture on it: the database as a server from before the next
// migration left it, for a migration test to upgrade and check (both
// engines' tests of BeforeArrival and BeforeFingerprint).
func SeedBefore(ctx context.Context, t *testing.T, db *sql.DB, dialect goose.Dialect, version int64, fixture []string) {
	t.Helper()
	set, err := store.Migrations(dialect)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(set.Dialect, db, set.FS, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		t.Fatal(err)
	}
	for _, q := range fixture {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
