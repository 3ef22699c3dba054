package store_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationKeepsOptOutsAndLifts: migration 0024 leaves the opt-outs
// from before it with no source, which nobody undoes, and keeps the lifts
// through SQLite's making the table anew (storetest.CheckOptOutSource).
func TestMigrationKeepsOptOutsAndLifts(t *testing.T) {
	storetest.CheckOptOutSource(t, migratedFrom(t, storetest.BeforeOptOutSource, storetest.OptOutSourceFixtureSQL))
}
