package store_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationReportedThrough: migration 0033 has a thread reported on
// before reach as far as its last report (storetest.CheckReportedThrough).
func TestMigrationReportedThrough(t *testing.T) {
	storetest.CheckReportedThrough(t, migratedFrom(t, storetest.BeforeReportedThrough, storetest.ReportedThroughFixtureSQL))
}
