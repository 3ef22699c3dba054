package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
)

// walSync makes the writer's commits durable on demand. The writer runs
// with synchronous=NORMAL: a commit returns once its frames are in the
// WAL file, not on the disk, so an operating-system crash or a power cut
// (not a killed process: the kernel still holds the file) can undo the
// last commits. For most of them that is a lost moment of work; for a text
// about to go out it would be a text sent twice, since the record that it
// is sending would vanish while the provider kept the call. So the
// dispatcher asks for Durable before each provider call, and one fsync of
// the WAL serves every caller waiting when it starts: the workers' calls
// wait about one disk sync, the writer and the sends wait for nothing.
// A checkpoint syncs the WAL before copying it and the database after, so
// frames already copied out are on the disk as well.
type walSync struct {
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

func newWALSync(dbPath string) *walSync {
	w := &walSync{path: dbPath + "-wal", fsync: syncFile}
	w.cond = sync.NewCond(&w.mu)
	return w
}

// Durable returns once every transaction committed before the call is on
// the disk, or the fsync's error.
func (s *SQLite) Durable() error { return s.durable.sync() }

func (w *walSync) sync() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	// A round already running may have started before the caller's
	// commit; only a round that starts from now on covers it.
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
