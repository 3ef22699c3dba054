package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// dataFilesCheckEvery is how often a serve on SQLite looks whether its
// database file and lock are still the files it opened; tests shorten it.
var dataFilesCheckEvery = 2 * time.Second

// watchDataFiles tells, on the channel it returns, when the database file
// (on SQLite: sqlite), the simulated network's journal (with --provider
// sim: journal) or the serve lock in dataDir, which the lock keeps to this
// server for lockFor (lockServe), is no longer the file this server opened:
// moved aside, deleted or replaced, as a restore done without stopping the
// server does (docs/OPERATIONS.md, section 6: "mv textbank.db* replaced/",
// then the backup in their place). The server would go on writing into the
// moved file, which no organizer command and no restart reads: sign-ups,
// replies and the record of texts sent since would be lost at the next
// restart, and those contacts handed out and texted again. A lock file
// removed lets a second serve start on the same database, or on
// PostgreSQL with --provider sim a second simulated network on the same
// journal (two networks interleaving its lines, each answering lookups
// from its own memory of it). A journal moved or deleted leaves the
// network writing on into a file nothing reads: a restarted server's
// lookups would not find the texts it sent, and send them again. Either
// way the
// server must stop; under a supervisor it starts again on the files now in
// place. The channel is never written when the files stay.
//
// journal, when the simulated network keeps one, is its open file as its
// handle describes it (simnet's JournalInfo), and lock the serve lock's
// (lockServe; nil where serve takes none): the path's file at the
// time of this call may already be another, swapped in after the file
// was opened, and watched in its place that swap was never told.
func watchDataFiles(ctx context.Context, dataDir, lockFor string, sqlite bool, journal, lock os.FileInfo) (<-chan error, error) {
	type watched struct {
		path, why string
		fi        os.FileInfo
	}
	type file struct {
		name, why string
		opened    os.FileInfo // the file this server has open, when known by its handle
	}
	var names []file
	if sqlite {
		names = append(names, file{name: store.FileName, why: "this server would go on writing into a file that no organizer command and no restart reads " +
			"(a backup restored without stopping the server first?); what it stored in the last seconds is in the " +
			"file it had open, wherever that was moved"})
	}
	if journal != nil {
		names = append(names, file{simJournal, "the simulated network would go on recording its texts into a file that no restart " +
			"reads: a restarted server would not find the texts it sent since, and could send them again", journal})
	}
	names = append(names, file{serveLockName, "a second textbankd serve could start on " + lockFor + " beside this one; do not remove the lock: " +
		"the system releases it when the server stops, however it stops", lock})
	var files []watched
	for _, f := range names {
		path := filepath.Join(dataDir, f.name)
		if f.opened != nil {
			files = append(files, watched{path, f.why, f.opened})
			continue
		}
		fi, err := os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // no lock file on Windows, where serve takes none
		} else if err != nil {
			return nil, fmt.Errorf("watch %s: %w", path, err)
		}
		files = append(files, watched{path, f.why, fi})
	}
	// Where to read before touching the files: on SQLite the backups'
	// section (restore with the server stopped); on PostgreSQL the
	// database is restored elsewhere, and --data holds the simulated
	// network's journal, which section 7 says one server keeps.
	restore := "stop the server before restoring a backup (docs/OPERATIONS.md, section 6)"
	if !sqlite {
		restore = "give each server its own --data (docs/OPERATIONS.md, section 7)"
	}
	changed := make(chan error, 1)
	go func() {
		t := time.NewTicker(dataFilesCheckEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			for _, f := range files {
				now, err := os.Stat(f.path)
				if err == nil && os.SameFile(now, f.fi) {
					continue
				}
				if err != nil && !errors.Is(err, fs.ErrNotExist) {
					// An I/O error or a stale handle says nothing of a
					// restore: asked again at the next tick, never a
					// healthy server stopped for it.
					continue
				}
				how := "was replaced by another file"
				if err != nil {
					how = "was moved or deleted"
				}
				changed <- fmt.Errorf("%s %s while this server was running: %s. Stopping; start textbankd serve again "+
					"(systemd's Restart=always does) to serve the files now in %s, and %s", f.path, how, f.why, dataDir, restore)
				return
			}
		}
	}()
	return changed, nil
}
