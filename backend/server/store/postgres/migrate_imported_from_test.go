package postgres_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationKeepsImportsFile is the SQLite test of the same name on
// PostgreSQL.
func TestMigrationKeepsImportsFile(t *testing.T) {
	storetest.CheckImportedFrom(t, migratedFrom(t, storetest.BeforeImportedFrom, storetest.ImportedFromFixtureSQL))
}
