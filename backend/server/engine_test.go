package server_test

import (
	"path/filepath"
	"testing"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// openStore opens a test's store: a fresh PostgreSQL database (a copy of
// the cluster's migrated template: pgtest.MigratedURL) when
// TEXTBANK_TEST_POSTGRES names a cluster (make test-postgres runs every
// server test so), otherwise a fresh SQLite file. reopen opens another
// handle on the same database, as another process (or server) has; every
// handle is closed when the test ends. pgURL is the PostgreSQL database's.
func openStore(t *testing.T) (st store.Store, reopen func() store.Store, pgURL string) {
	t.Helper()
	if pgtest.Available() {
		url := pgtest.MigratedURL(t)
		reopen = func() store.Store { return pgtest.OpenURL(t, url) }
		return reopen(), reopen, url
	}
	path := filepath.Join(t.TempDir(), "server.db")
	reopen = func() store.Store {
		st, err := store.Open(t.Context(), path)
		if err != nil {
			t.Fatalf("open store: %v", err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	return reopen(), reopen, ""
}
