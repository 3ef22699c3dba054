//go:build !windows

package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/testlog"
)

// TestServeStopsWhenItsDatabaseIsRestoredUnderIt: an operator who restores
// a backup as docs/OPERATIONS.md section 6 says but forgets to stop the
// server first (the live files moved into replaced/, the backup put in
// their place) must not be left with a server writing on into the moved
// file, which no organizer command and no restart reads (every sign-up,
// reply and sent text since would vanish at the next restart, and those
// contacts be texted again). The server stops non-zero and says why; a
// removed lock file, which would let a second serve start beside it, stops
// it the same way, on PostgreSQL with --provider sim too (its lock keeps a
// second simulated network off the journal; it was not watched there, and
// a second server started beside the first). The simulated network's
// journal deleted stops it too: the network wrote on into the unlinked
// file.
func TestServeStopsWhenItsDatabaseIsRestoredUnderIt(t *testing.T) {
	was := dataFilesCheckEvery
	dataFilesCheckEvery = 20 * time.Millisecond
	t.Cleanup(func() { dataFilesCheckEvery = was })

	removeLock := func(t *testing.T, data string) {
		if err := os.Remove(filepath.Join(data, serveLockName)); err != nil {
			t.Fatal(err)
		}
	}
	removeJournal := func(t *testing.T, data string) {
		if err := os.Remove(filepath.Join(data, simJournal)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name     string
		postgres bool
		mangle   func(t *testing.T, data string)
		want     string
	}{
		{"backup restored onto the running server", false, func(t *testing.T, data string) {
			// Section 6's commands, without `systemctl stop textbankd`.
			replaced := filepath.Join(data, "replaced")
			if err := os.Mkdir(replaced, 0o700); err != nil {
				t.Fatal(err)
			}
			live, _ := filepath.Glob(filepath.Join(data, store.FileName+"*"))
			backup, err := os.ReadFile(filepath.Join(data, store.FileName))
			if err != nil {
				t.Fatal(err)
			}
			restore := filepath.Join(replaced, "restore")
			if err := os.WriteFile(restore, backup, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, f := range live {
				if filepath.Base(f) == store.FileName {
					continue
				}
				if err := os.Rename(f, filepath.Join(replaced, filepath.Base(f))); err != nil {
					t.Fatal(err)
				}
			}
			// The backup goes in by a rename (mv): the path names the old
			// file until it names the new one. Moving the old file away and
			// then writing the new one left a moment with no file, which the
			// watch (every 20 ms here) read as a deletion under -race in CI.
			if err := os.Rename(restore, filepath.Join(data, store.FileName)); err != nil {
				t.Fatal(err)
			}
		}, store.FileName + " was replaced by another file while this server was running"},
		{"lock file removed", false, removeLock, serveLockName + " was moved or deleted while this server was running: " +
			"a second textbankd serve could start on the database"},
		{"lock file removed: where to read", false, removeLock, "stop the server before restoring a backup (docs/OPERATIONS.md, section 6)"},
		{"lock file removed, on PostgreSQL", true, removeLock, serveLockName + " was moved or deleted while this server was running: " +
			"a second textbankd serve could start on the simulated network's journal"},
		// Not section 6, the SQLite file's restore: on PostgreSQL --data
		// holds the journal, one server's own.
		{"lock file removed, on PostgreSQL: where to read", true, removeLock, "give each server its own --data (docs/OPERATIONS.md, section 7)"},
		// The simulated network's journal deleted: the network wrote on
		// into the unlinked file, which a restarted server's lookups do
		// not read (on PostgreSQL only the lock was watched).
		{"journal deleted, on PostgreSQL", true, removeJournal, simJournal + " was moved or deleted while this server was running: " +
			"the simulated network would go on recording its texts into a file that no restart reads"},
		{"journal deleted, on SQLite", false, removeJournal, simJournal + " was moved or deleted while this server was running"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			args := []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--provider", "sim"}
			if tc.postgres {
				args = append(args, "--db", pgtest.URL(t))
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			logs := &testlog.Buffer{}
			done := make(chan int, 1)
			go func() { done <- run(ctx, args, io.Discard, logs, envOf(nil)) }()
			awaitLog(t, logs, done, "textbankd serving", serveStartWait)
			// Untouched files keep it serving.
			select {
			case code := <-done:
				t.Fatalf("serve stopped (exit %d) with its files in place: %s", code, logs.String())
			case <-time.After(10 * dataFilesCheckEvery):
			}
			tc.mangle(t, data)
			select {
			case code := <-done:
				if code == 0 {
					t.Fatalf("serve exited 0; want non-zero, for its supervisor to start it again: %s", logs.String())
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("serve still running 5 s after %s: %s", tc.name, logs.String())
			}
			if out := logs.String(); !strings.Contains(out, tc.want) || !strings.Contains(out, "textbankd stopped") {
				t.Fatalf("log does not say %q: %s", tc.want, out)
			}
		})
	}
}
