// Package walsync puts a SQLite database's committed transactions on the
// disk on demand, one fsync of its WAL for every caller waiting. The server
// and the desktop cache both commit with synchronous=NORMAL in WAL mode: a
// commit returns once its frames are in the WAL file, not on the disk, so
// an operating-system crash or a power cut (not a killed process: the
// kernel still holds the file) can undo the last commits. Each syncs only
// where losing a commit would matter, and a sync runs beside the writer,
// never inside its transaction: the writer goes on meanwhile.
//
// A checkpoint syncs the WAL before copying it and the database after, so
// frames already copied out are on the disk as well.
package walsync

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
)

// Syncer syncs one database's WAL.
type Syncer struct {
	path  string // the database file's WAL
	fsync func(path string) error

	mu      sync.Mutex
	cond    *sync.Cond
	running bool
	// started and finished count fsync rounds; err is the last round's.
	started, finished uint64
	err               error
	// rounds and waiting are for tests: fsyncs made, callers waiting.
	rounds, waiting int
}

// New is a Syncer for the SQLite database file at dbPath.
func New(dbPath string) *Syncer {
	w := &Syncer{path: dbPath + "-wal", fsync: syncFile}
	w.cond = sync.NewCond(&w.mu)
	return w
}

// Sync returns once every transaction committed before the call is on the
// disk, or the fsync's error. A round already running may have started
// before the caller's commit; only a round that starts from now on covers
// it, and that one round serves every caller who came meanwhile.
func (w *Syncer) Sync() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	need := w.started + 1
	for w.finished < need {
		if w.running {
			w.waiting++
			w.cond.Wait()
			w.waiting--
			continue
		}
		w.running = true
		w.started++
		round := w.started
		w.mu.Unlock()
		err := w.fsync(w.path)
		w.mu.Lock()
		w.running, w.finished, w.err = false, round, err
		w.rounds++
		w.cond.Broadcast()
	}
	return w.err
}

// Rounds is how many fsyncs the Syncer has made (tests).
func (w *Syncer) Rounds() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.rounds
}

// syncFile fsyncs the file at path. Opened for writing: Windows flushes
// only a handle that may write. No file is nothing to sync (a database
// with no WAL yet, or an in-memory one).
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open the WAL to sync it: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync the WAL: %w", err)
	}
	return f.Close()
}
