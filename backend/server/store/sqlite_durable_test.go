package store

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestDurableOneSyncServesTheCallersWaiting: callers that arrive while an
// fsync runs may have committed after it began, so they wait for the next
// one, and that one serves them all: two fsyncs for sixteen callers.
func TestDurableOneSyncServesTheCallersWaiting(t *testing.T) {
	w := newWALSync(filepath.Join(t.TempDir(), "x.db"))
	release := make(chan struct{})
	first := true
	var mu sync.Mutex
	w.fsync = func(string) error {
		mu.Lock()
		block := first
		first = false
		mu.Unlock()
		if block {
			<-release
		}
		return nil
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = w.sync() }()
	waitFor(t, func() bool { w.mu.Lock(); defer w.mu.Unlock(); return w.running })
	for range 15 {
		wg.Add(1)
		go func() { defer wg.Done(); _ = w.sync() }()
	}
	waitFor(t, func() bool { w.mu.Lock(); defer w.mu.Unlock(); return w.waiting == 15 })
	close(release)
	wg.Wait()
	if w.rounds != 2 {
		t.Fatalf("%d fsyncs for 16 callers, want 2 (the one running, then one for all who came during it)", w.rounds)
	}
}

// TestDurableSaysTheSyncFailed: a failed fsync is the caller's error.
func TestDurableSaysTheSyncFailed(t *testing.T) {
	w := newWALSync(filepath.Join(t.TempDir(), "x.db"))
	w.fsync = func(string) error { return errors.New("input/output error") }
	if err := w.sync(); err == nil {
		t.Fatal("a failed fsync was answered as done")
	}
}

// TestDurableSyncsTheStoresWAL: on a real store, Durable syncs the WAL a
// commit wrote; a database with no WAL has nothing to sync.
func TestDurableSyncsTheStoresWAL(t *testing.T) {
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Durable(); err != nil {
		t.Fatalf("durable after a migration's commits: %v", err)
	}
	if st.durable.rounds != 1 {
		t.Fatalf("%d fsyncs, want 1", st.durable.rounds)
	}
	if err := syncFile(filepath.Join(t.TempDir(), "none.db-wal")); err != nil {
		t.Fatalf("no WAL file: %v", err)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(time.Millisecond)
	}
}
