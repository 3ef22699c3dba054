package store

/*
#include <stdlib.h>

// Declared rather than included: SQLite is compiled into
// github.com/mattn/go-sqlite3, whose header is not on our include path.
extern void *sqlite3_wal_hook(void *db, int (*cb)(void *, void *, const char *, int), void *arg);
extern int sqlite3_wal_checkpoint_v2(void *db, const char *zDb, int mode, int *log, int *ckpt);

// textbank_wal is what the writer connection's WAL hook and Go share. Go
// sets the thresholds and backfilled; the hook sets frames and counts.
typedef struct {
	int frames;     // pages in the WAL after the last commit
	int backfilled; // of those, copied by the last background checkpoint
	int catchup;    // the writer copies a tail this short itself...
	int from;       // ...once the WAL holds this many pages
	int limit;      // the writer checkpoints whatever is left past this
	int caught;     // checkpoints the writer ran to catch up
	int forced;     // checkpoints the writer ran past the limit
} textbank_wal;

#define LOAD(f) __atomic_load_n(&(f), __ATOMIC_RELAXED)
#define STORE(f, v) __atomic_store_n(&(f), (v), __ATOMIC_RELAXED)

// textbank_wal_cb runs after every commit on the writer connection,
// instead of SQLite's autocheckpoint hook.
static int textbank_wal_cb(void *arg, void *db, const char *zDb, int frames) {
	textbank_wal *w = arg;
	STORE(w->frames, frames);
	int done = LOAD(w->backfilled);
	if (frames >= LOAD(w->limit)) {
		__atomic_add_fetch(&w->forced, 1, __ATOMIC_RELAXED);
	} else if (frames >= LOAD(w->from) && done > 0 && frames >= done && frames - done <= LOAD(w->catchup)) {
		__atomic_add_fetch(&w->caught, 1, __ATOMIC_RELAXED);
	} else {
		return 0;
	}
	sqlite3_wal_checkpoint_v2(db, zDb, 0, 0, 0); // SQLITE_CHECKPOINT_PASSIVE
	return 0;
}

static textbank_wal *textbank_wal_new(void) { return calloc(1, sizeof(textbank_wal)); }

static void textbank_wal_watch(void *db, textbank_wal *w) { sqlite3_wal_hook(db, textbank_wal_cb, w); }

static void textbank_wal_limits(textbank_wal *w, int catchup, int from, int limit) {
	STORE(w->catchup, catchup);
	STORE(w->from, from);
	STORE(w->limit, limit);
}

static int textbank_wal_frames(textbank_wal *w) { return LOAD(w->frames); }
static int textbank_wal_backfilled(textbank_wal *w) { return LOAD(w->backfilled); }
static void textbank_wal_set_backfilled(textbank_wal *w, int n) { STORE(w->backfilled, n); }
static int textbank_wal_caught(textbank_wal *w) { return LOAD(w->caught); }
static int textbank_wal_forced(textbank_wal *w) { return LOAD(w->forced); }
*/
import "C"

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// Checkpoints happen beside the writer, not on it.
//
// SQLite's autocheckpoint runs inside the COMMIT that takes the WAL past
// its limit: it copies every page of the WAL into the database file and
// fsyncs both, 50-90 ms for 4,000 pages on this project's machines, while
// every volunteer whose send is in the next group waits. Profiled, the one
// writer was busy 95% of a send bench's wall time but on a CPU for only
// 80% of it; with no checkpoints at all the same bench accepted 30-45%
// more sends for the same CPU.
//
// So the writer's connection reports its WAL's size after each commit
// (sqlite3_wal_hook, replacing the autocheckpoint hook), and once it grew
// walCheckpointPages past what was last copied, a goroutine on a
// connection of its own runs PASSIVE checkpoints, which copy and fsync
// while the writer goes on committing. SQLite reuses the WAL from its
// beginning only at a write that finds every page of it copied, which
// under a load that never pauses the background cannot quite reach: each
// of its checkpoints leaves what was committed meanwhile. It checkpoints
// again until that tail is short (each pass shorter than the last), and
// then the writer copies the tail itself after its next commit (a few
// pages and two small fsyncs), so the WAL starts over. Past walWriterPages
// (the background stuck, say a reader holding an old snapshot) the writer
// checkpoints whatever it can itself, as the autocheckpoint did.
//
// walCheckpointPages is large on purpose: a checkpoint copies each page
// once however often it was rewritten since the last, and the hot pages
// (the feed's tail, the indexes' right edges) are rewritten by every
// commit. At 16,000 pages rather than 4,000 the checkpointer's work per
// text fell enough that 8,000 sends in a row went 14% faster
// (docs/PERFORMANCE.md, "Seventh round").
const (
	walCheckpointPages = 16000 // 64 MB of 4 KB pages
	walCatchUpPages    = 256   // a tail the writer copies itself
	walWriterPages     = 64000 // 256 MB
	// walIdleCheckpoint copies a WAL that stopped growing below the
	// threshold, so that a quiet server's database file is whole.
	walIdleCheckpoint = 5 * time.Second
	// walMaxPasses bounds the background's passes after one kick.
	walMaxPasses = 8
)

// walWatch connects the writer's WAL hook to the background checkpointer.
type walWatch struct {
	db   *sql.DB // the checkpointer's own connection
	kick chan struct{}
	stop chan struct{}
	done sync.WaitGroup
	once sync.Once

	mu sync.Mutex
	// slot is the writer connection's (replaced if it reconnects); the
	// thresholds are the constants above but in tests.
	slot                     *C.textbank_wal
	bgPages, catchup, writer int
	idle                     time.Duration

	checkpoints atomic.Int64 // background checkpoints run, for tests
	restarts    atomic.Int64 // times the WAL was seen to start over, for tests
	last        atomic.Int64 // the WAL's pages after the commit before
}

func newWALWatch(dsn string) *walWatch {
	w := &walWatch{
		db:      sql.OpenDB(connector(dsn, nil)),
		kick:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		bgPages: walCheckpointPages,
		catchup: walCatchUpPages,
		writer:  walWriterPages,
		idle:    walIdleCheckpoint,
	}
	w.db.SetMaxOpenConns(1)
	w.db.SetConnMaxIdleTime(0)
	w.done.Add(1)
	go w.run()
	return w
}

// watch installs the hook on a newly opened writer connection.
func (w *walWatch) watch(c *sqlite3.SQLiteConn) error {
	db, err := connHandle(c)
	if err != nil {
		return err
	}
	// Allocated by C, since SQLite keeps the pointer. A reconnect leaves
	// the old one (a few bytes) behind.
	slot := C.textbank_wal_new()
	if slot == nil {
		return errors.New("sqlite: no memory for the WAL hook")
	}
	// A WAL the writer let grow long (walWriterPages) is cut back to
	// this when it starts over, rather than keeping its size on disk; it
	// is above walCheckpointPages' 64 MB, so that the usual cycle reuses
	// the file instead of shrinking and growing it.
	if _, err := c.Exec(`PRAGMA journal_size_limit = 83886080`, nil); err != nil {
		return fmt.Errorf("journal_size_limit: %w", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	C.textbank_wal_limits(slot, C.int(w.catchup), C.int(w.bgPages), C.int(w.writer))
	C.textbank_wal_watch(db, slot)
	w.slot = slot
	return nil
}

// setLimits changes the thresholds (tests); the idle wait counts from
// the next checkpoint or kick.
func (w *walWatch) setLimits(bg, catchup, writer int, idle time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.bgPages, w.catchup, w.writer, w.idle = bg, catchup, writer, idle
	if w.slot != nil {
		C.textbank_wal_limits(w.slot, C.int(catchup), C.int(bg), C.int(writer))
	}
}

// state is the writer's WAL as its last commit left it: its pages, how
// many the background copied, and the background threshold.
func (w *walWatch) state() (frames, backfilled, bg int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.slot == nil {
		return 0, 0, w.bgPages
	}
	return int(C.textbank_wal_frames(w.slot)), int(C.textbank_wal_backfilled(w.slot)), w.bgPages
}

// committed runs after each commit on the writer: it asks for a background
// checkpoint once the WAL grew enough past what was last copied.
func (w *walWatch) committed() {
	frames, done, bg := w.state()
	if last := w.last.Swap(int64(frames)); int64(frames) < last {
		w.restarts.Add(1)
	}
	if frames < done {
		// The WAL started over: nothing of it is copied yet.
		w.setBackfilled(0)
		done = 0
	}
	if frames-done < bg {
		return
	}
	select {
	case w.kick <- struct{}{}:
	default: // asked for already
	}
}

func (w *walWatch) setBackfilled(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.slot != nil {
		C.textbank_wal_set_backfilled(w.slot, C.int(n))
	}
}

// counts are the checkpoints the writer ran itself: to catch up, and past
// its limit.
func (w *walWatch) counts() (caught, forced int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.slot == nil {
		return 0, 0
	}
	return int(C.textbank_wal_caught(w.slot)), int(C.textbank_wal_forced(w.slot))
}

func (w *walWatch) run() {
	defer w.done.Done()
	for {
		w.mu.Lock()
		idle := time.NewTimer(w.idle)
		w.mu.Unlock()
		select {
		case <-w.stop:
			idle.Stop()
			return
		case <-w.kick:
			idle.Stop()
		case <-idle.C:
			if frames, done, _ := w.state(); frames == 0 || frames == done {
				continue // nothing the last checkpoint did not copy
			}
		}
		w.passes()
	}
}

// passes checkpoints until what is left for the writer is a short tail.
func (w *walWatch) passes() {
	for range walMaxPasses {
		// PASSIVE never waits for the writer or readers; an error (the
		// writer's own checkpoint holding the lock, a closed file) leaves
		// the WAL for the next one.
		var busy, log, done int
		err := w.db.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &done)
		if err != nil {
			return
		}
		w.checkpoints.Add(1)
		w.setBackfilled(done)
		w.mu.Lock()
		catchup := w.catchup
		w.mu.Unlock()
		if log-done <= catchup {
			return
		}
		select {
		case <-w.stop:
			return
		default:
		}
	}
}

// close stops the checkpointer; a second call does nothing (a store's
// Close may be called twice).
func (w *walWatch) close() error {
	var err error
	w.once.Do(func() {
		close(w.stop)
		w.done.Wait()
		err = w.db.Close()
	})
	return err
}
