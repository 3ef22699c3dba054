package store_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationKeepsMutationsWithoutFingerprint: migration 0017 adds the
// fingerprint of each mutation's content; a mutation recorded before it
// still reads back, with none (storetest.CheckFingerprintMigration).
func TestMigrationKeepsMutationsWithoutFingerprint(t *testing.T) {
	storetest.CheckFingerprintMigration(t, migratedFrom(t, storetest.BeforeFingerprint, storetest.FingerprintFixtureSQL))
}
