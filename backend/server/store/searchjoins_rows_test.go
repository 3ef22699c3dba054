package store_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestSearchJoinRefusalsAddNoRow: an account refused a join through search
// 1,000 times has one row (storetest.CheckRefusalsAddNoRow), counted
// beside the store through a connection of its own.
func TestSearchJoinRefusalsAddNoRow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	st := open(t, path)
	t.Cleanup(func() { st.Close() })
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.CheckRefusalsAddNoRow(t, st, func() int {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM search_join_refusals`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	})
}

// TestMigrationRefusalsLogged: migration 0041 keeps an account's refusals
// and logs its next one (storetest.CheckRefusalsLoggedAfterMigration).
func TestMigrationRefusalsLogged(t *testing.T) {
	storetest.CheckRefusalsLoggedAfterMigration(t, migratedFrom(t, storetest.BeforeRefusalsLogged, storetest.RefusalsLoggedFixtureSQL))
}
