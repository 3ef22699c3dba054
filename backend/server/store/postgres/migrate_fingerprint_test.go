package postgres_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationKeepsMutationsWithoutFingerprint is the SQLite test of the
// same name on PostgreSQL: a mutation recorded before migration 0017 reads
// back without a fingerprint.
func TestMigrationKeepsMutationsWithoutFingerprint(t *testing.T) {
	storetest.CheckFingerprintMigration(t, migratedFrom(t, storetest.BeforeFingerprint, storetest.FingerprintFixtureSQL))
}
