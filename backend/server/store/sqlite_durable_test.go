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
