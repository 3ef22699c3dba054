//go:build !windows

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms/simnet"
)

// TestJournalSwappedBeforeTheWatchIsTold: a journal replaced between the
// simulated network opening it and the watch starting is told as
// replaced. The watch once stat'ed the path when it started, so the file
// swapped in was the one it watched, and the network wrote on into the
// replaced one unnoticed: this test waited out its bound.
func TestJournalSwappedBeforeTheWatchIsTold(t *testing.T) {
	was := dataFilesCheckEvery
	dataFilesCheckEvery = 20 * time.Millisecond
	t.Cleanup(func() { dataFilesCheckEvery = was })
	data := t.TempDir()
	netw := simnet.New(simnet.DefaultConfig(), zerolog.Nop())
	defer netw.Close()
	path := filepath.Join(data, simJournal)
	if err := netw.UseJournal(path); err != nil {
		t.Fatal(err)
	}
	journal, err := netw.JournalInfo()
	if err != nil {
		t.Fatal(err)
	}
	// The swap, in the window before the watch starts.
	if err := os.Rename(path, path+".old"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changed, err := watchDataFiles(ctx, data, "the simulated network's journal", false, journal, nil)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-changed:
		if !strings.Contains(err.Error(), simJournal+" was replaced by another file") {
			t.Errorf("told %v, want the journal replaced", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a journal swapped after the network opened it was not told in 5 s")
	}
}

// TestLockSwappedBeforeTheWatchIsTold: the serve lock removed, and a
// second server's made in its place, between this server taking it and
// its watch starting is told as replaced: the watch once stat'ed the path
// when it started, so it watched the second server's lock and both
// served on one --data. Before the fix this test waited out its bound.
func TestLockSwappedBeforeTheWatchIsTold(t *testing.T) {
	was := dataFilesCheckEvery
	dataFilesCheckEvery = 20 * time.Millisecond
	t.Cleanup(func() { dataFilesCheckEvery = was })
	data := t.TempDir()
	release, lock, err := lockServe(data, "the database")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if err := os.Remove(filepath.Join(data, serveLockName)); err != nil {
		t.Fatal(err)
	}
	second, _, err := lockServe(data, "the database")
	if err != nil {
		t.Fatalf("a second server's lock: %v", err)
	}
	defer second()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changed, err := watchDataFiles(ctx, data, "the database", false, nil, lock)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-changed:
		if !strings.Contains(err.Error(), serveLockName+" was replaced by another file") {
			t.Errorf("told %v, want the lock replaced", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a lock swapped after this server took it was not told in 5 s")
	}
}
