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

// TestMigrationRecordsArrival: migration 0011 gives the replies, unroutable
// texts and opt-ins stored before it whom and which campaign they reached
// (storetest.CheckArrivalBackfill says how).
func TestMigrationRecordsArrival(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	storetest.SeedBefore(ctx, t, db, goose.DialectSQLite3, storetest.BeforeArrival, storetest.ArrivalFixtureSQL)
	db.Close()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	storetest.CheckArrivalBackfill(t, st)
}
