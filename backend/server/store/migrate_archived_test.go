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

// TestMigrationFeedsArchivedCampaigns: migration 0021 feeds the members of
// a campaign archived before it the campaign once more, so their apps learn
// it is archived (storetest.CheckArchivedFed says how).
func TestMigrationFeedsArchivedCampaigns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := sql.Open("sqlite3", path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	storetest.SeedBefore(ctx, t, db, goose.DialectSQLite3, storetest.BeforeArchivedFed, storetest.ArchivedFixtureSQL)
	db.Close()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	storetest.CheckArchivedFed(t, st)
}
