package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestDurableSyncsTheStoresWAL: on a real store, Durable syncs the WAL a
// commit wrote (the coalescing of callers is package walsync's test).
func TestDurableSyncsTheStoresWAL(t *testing.T) {
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Durable(); err != nil {
		t.Fatalf("durable after a migration's commits: %v", err)
	}
	if n := st.durable.Rounds(); n != 1 {
		t.Fatalf("%d fsyncs, want 1", n)
	}
}

// TestSyncEachCommitSyncsTheWAL: a store opened for an organizer command
// syncs the WAL at each commit, through the writer's VFS, so what the
// command then says is done survives a power cut; the server's store
// (Open) does not, and syncs only what it answers (Durable).
func TestSyncEachCommitSyncsTheWAL(t *testing.T) {
	ctx := context.Background()
	const commits = 10
	for _, c := range []struct {
		name string
		o    Options
		want func(syncs int64) bool
	}{
		{"server", Options{}, func(n int64) bool { return n == 0 }},
		{"command", Options{SyncEachCommit: true}, func(n int64) bool { return n >= commits }},
	} {
		st, err := OpenWith(ctx, filepath.Join(t.TempDir(), "t.db"), c.o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.write.ExecContext(ctx, `CREATE TABLE scratch (id INTEGER PRIMARY KEY, body BLOB NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		before := walVFSSyncs()
		writeRows(t, st, 0, commits)
		syncs := walVFSSyncs() - before
		st.Close()
		if !c.want(syncs) {
			t.Errorf("%s: %d commits made %d syncs of the WAL", c.name, commits, syncs)
		}
	}
}
