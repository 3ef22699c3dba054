package postgres_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationKeepsColumnsShown: migration 0037 shows an action's
// existing columns (storetest.CheckShownFieldsBackfill).
func TestMigrationKeepsColumnsShown(t *testing.T) {
	storetest.CheckShownFieldsBackfill(t, migratedFrom(t, storetest.BeforeShownFields, storetest.ShownFieldsFixtureSQL))
}
