package postgres_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationNotesScriptsRetired: migration 0023 gives each action the
// time its latest kept script version was retired, none to one without
// (storetest.CheckScriptsRetiredBackfill).
func TestMigrationNotesScriptsRetired(t *testing.T) {
	storetest.CheckScriptsRetiredBackfill(t, migratedFrom(t, storetest.BeforeScriptsRetiredAt, storetest.ScriptsRetiredFixtureSQL))
}
