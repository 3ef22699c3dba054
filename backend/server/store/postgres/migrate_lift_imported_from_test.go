package postgres_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationKeepsLiftedImportsFile is the SQLite test of the same name
// on PostgreSQL.
func TestMigrationKeepsLiftedImportsFile(t *testing.T) {
	storetest.CheckLiftImportedFrom(t, migratedFrom(t, storetest.BeforeLiftImportedFrom, storetest.LiftImportedFromFixtureSQL))
}
