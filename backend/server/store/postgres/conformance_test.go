package postgres_test

import (
	"testing"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestConformance runs the store's conformance suite on PostgreSQL, one
// fresh database per test.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return pgtest.Open(t) })
}
