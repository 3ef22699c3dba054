package postgres_test

import (
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestInstanceLockTakenAgainAfterACut: the database cuts a running
// server's lock connection (a fail-over, an administrator); the server
// takes its key again within a few seconds, and from then on another
// server does not take over the texts it is sending, as it would those of
// a server that died.
func TestInstanceLockTakenAgainAfterACut(t *testing.T) {
	url := pgtest.URL(t)
	a, b := pgtest.OpenURL(t, url), pgtest.OpenURL(t, url)
	id := seedText(t, a)
	if err := a.Update(t.Context(), func(tx store.Tx) error {
		return tx.SetMessageStatus(t.Context(), id, "sending", "", "", nil)
	}); err != nil {
		t.Fatal(err)
	}
	held := func() bool {
		t.Helper()
		h, err := a.HoldsInstanceLock(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	if !held() {
		t.Fatal("server A does not hold its instance lock")
	}
	// Both servers' lock connections: this database's only, the cluster
	// serving other tests' too.
	if err := execSQL(t, url, `SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`); err != nil {
		t.Fatal(err)
	}
	if held() {
		// pg_terminate_backend signals; the session ends a moment later.
		time.Sleep(100 * time.Millisecond)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !held() {
		if time.Now().After(deadline) {
			t.Fatal("server A did not take its instance lock again")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := orphaned(t, b); len(got) != 0 {
		t.Fatalf("server B took over a text of live server A after the cut: %+v", got)
	}
	if got := ownSending(t, a); len(got) != 1 || got[0].ID != id {
		t.Fatalf("server A's own sending texts = %+v, want %s", got, id)
	}
}
