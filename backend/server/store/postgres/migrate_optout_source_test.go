package postgres_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationKeepsOptOutsAndLifts is the SQLite test of the same name on
// PostgreSQL.
func TestMigrationKeepsOptOutsAndLifts(t *testing.T) {
	storetest.CheckOptOutSource(t, migratedFrom(t, storetest.BeforeOptOutSource, storetest.OptOutSourceFixtureSQL))
}
