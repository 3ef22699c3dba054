package walsync

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestOneSyncServesTheCallersWaiting: callers that arrive while an fsync
// runs may have committed after it began, so they wait for the next one,
// and that one serves them all: two fsyncs for sixteen callers.
func TestOneSyncServesTheCallersWaiting(t *testing.T) {
	w := New(filepath.Join(t.TempDir(), "x.db"))
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
	go func() { defer wg.Done(); _ = w.Sync() }()
	waitFor(t, func() bool { w.mu.Lock(); defer w.mu.Unlock(); return w.running })
	for range 15 {
		wg.Add(1)
		go func() { defer wg.Done(); _ = w.Sync() }()
	}
	waitFor(t, func() bool { w.mu.Lock(); defer w.mu.Unlock(); return w.waiting == 15 })
	close(release)
	wg.Wait()
	if n := w.Rounds(); n != 2 {
		t.Fatalf("%d fsyncs for 16 callers, want 2 (the one running, then one for all who came during it)", n)
	}
}

// TestSaysTheSyncFailed: a failed fsync is the caller's error.
func TestSaysTheSyncFailed(t *testing.T) {
	w := New(filepath.Join(t.TempDir(), "x.db"))
	w.fsync = func(string) error { return errors.New("input/output error") }
	if err := w.Sync(); err == nil {
		t.Fatal("a failed fsync was answered as done")
	}
}

// TestNoWALIsNothingToSync: a database with no WAL yet has nothing to sync.
func TestNoWALIsNothingToSync(t *testing.T) {
	if err := New(filepath.Join(t.TempDir(), "none.db")).Sync(); err != nil {
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
