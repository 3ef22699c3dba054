package store_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationKeepsImportsFile: migration 0027 fills the file of an
// import's opt-out from before it (storetest.CheckImportedFrom).
func TestMigrationKeepsImportsFile(t *testing.T) {
	storetest.CheckImportedFrom(t, migratedFrom(t, storetest.BeforeImportedFrom, storetest.ImportedFromFixtureSQL))
}
