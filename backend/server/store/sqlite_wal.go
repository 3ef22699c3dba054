package store

/*
#include <stdlib.h>
#ifdef _WIN32
#include <windows.h>
#else
#include <time.h>
#endif

// Declared rather than included: SQLite is compiled into
// github.com/mattn/go-sqlite3, whose header is not on our include path.
extern void *sqlite3_wal_hook(void *db, int (*cb)(void *, void *, const char *, int), void *arg);
extern int sqlite3_wal_checkpoint_v2(void *db, const char *zDb, int mode, int *log, int *ckpt);
extern int sqlite3_busy_handler(void *db, int (*cb)(void *, int), void *arg);
extern int sqlite3_busy_timeout(void *db, int ms);

// textbank_wal is what the writer connection's WAL hook and Go share. Go
// sets the limits, backfilled and ready; the hook sets frames and counts.
typedef struct {
	int frames;     // pages in the WAL after the last commit
	int backfilled; // of those, copied by the last background checkpoint
	int ready;      // the background finished its passes: the writer may catch up, once
	int limit;      // the writer checkpoints whatever is left past this
	int busy_ms;    // the connection's busy timeout, put back after a catch-up
	int max_wait;   // microseconds a catch-up waits for readers at most
	long long wait_from; // when the current catch-up began, in microseconds
	int caught;     // catch-ups that left the WAL to start over
	int outlasted;  // catch-ups a reader outlasted
	int forced;     // checkpoints the writer ran past the limit
} textbank_wal;

#define LOAD(f) __atomic_load_n(&(f), __ATOMIC_RELAXED)
#define STORE(f, v) __atomic_store_n(&(f), (v), __ATOMIC_RELAXED)

#ifdef _WIN32
static long long textbank_now_us(void) {
	LARGE_INTEGER f, c;
	QueryPerformanceFrequency(&f);
	QueryPerformanceCounter(&c);
	return c.QuadPart / f.QuadPart * 1000000 + c.QuadPart % f.QuadPart * 1000000 / f.QuadPart;
}
// Windows sleeps in whole milliseconds at best: yield instead.
static void textbank_pause(void) { SwitchToThread(); }
#else
static long long textbank_now_us(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}
static void textbank_pause(void) {
	struct timespec d = {0, 20000};
	nanosleep(&d, 0);
}
#endif

// textbank_wal_wait is the busy handler of a catch-up: readers' snapshots
// last tens of microseconds, so it waits in steps that short, and not for
// long, since the writer waits with it. The bound is time, not a count of
// waits, since a step lasts what the platform makes of it.
static int textbank_wal_wait(void *arg, int n) {
	textbank_wal *w = arg;
	if (textbank_now_us() - w->wait_from > LOAD(w->max_wait)) return 0;
	textbank_pause();
	return 1;
}

// textbank_wal_cb runs after every commit on the writer connection,
// instead of SQLite's autocheckpoint hook.
static int textbank_wal_cb(void *arg, void *db, const char *zDb, int frames) {
	textbank_wal *w = arg;
	STORE(w->frames, frames);
	if (frames >= LOAD(w->limit)) {
		__atomic_add_fetch(&w->forced, 1, __ATOMIC_RELAXED);
		sqlite3_wal_checkpoint_v2(db, zDb, 0, 0, 0); // SQLITE_CHECKPOINT_PASSIVE
		return 0;
	}
	// The background leaves a tail as long as what was committed while
	// its last pass ran; it chases it down to walCatchUpPages if it can,
	// and the writer takes whatever it could not: the alternative is the
	// copy past the limit, which is longer.
	if (!LOAD(w->ready) || frames < LOAD(w->backfilled)) return 0;
	STORE(w->ready, 0);
	// RESTART copies the tail once every reader is on the latest snapshot,
	// then waits until none still reads from the WAL, so that the next
	// write starts it over. A PASSIVE checkpoint here raced the readers:
	// under a load that never pauses some reader nearly always held an
	// older snapshot, and the WAL grew to the writer's limit.
	w->wait_from = textbank_now_us();
	sqlite3_busy_handler(db, textbank_wal_wait, w);
	int rc = sqlite3_wal_checkpoint_v2(db, zDb, 2, 0, 0); // SQLITE_CHECKPOINT_RESTART
	sqlite3_busy_timeout(db, LOAD(w->busy_ms));
	__atomic_add_fetch(rc == 0 ? &w->caught : &w->outlasted, 1, __ATOMIC_RELAXED);
	return 0;
}

static textbank_wal *textbank_wal_new(void) { return calloc(1, sizeof(textbank_wal)); }

static void textbank_wal_watch(void *db, textbank_wal *w) { sqlite3_wal_hook(db, textbank_wal_cb, w); }

static void textbank_wal_limits(textbank_wal *w, int limit, int busy_ms, int max_wait) {
	STORE(w->limit, limit);
	STORE(w->busy_ms, busy_ms);
	STORE(w->max_wait, max_wait);
}

static int textbank_wal_frames(textbank_wal *w) { return LOAD(w->frames); }
static int textbank_wal_backfilled(textbank_wal *w) { return LOAD(w->backfilled); }
static void textbank_wal_set_backfilled(textbank_wal *w, int n, int ready) {
	STORE(w->backfilled, n);
	STORE(w->ready, ready);
}
static int textbank_wal_caught(textbank_wal *w) { return LOAD(w->caught); }
static int textbank_wal_outlasted(textbank_wal *w) { return LOAD(w->outlasted); }
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
// again until that tail is short or stops shrinking, and then the writer
// copies the tail itself after its next commit, with a RESTART
// checkpoint: it waits (walCatchUpWait at most) until every reader is on
// the latest snapshot and then until none reads from the WAL, so that the
// next write starts it over. Past
// walWriterPages (the background stuck, say a reader holding an old
// snapshot) the writer checkpoints whatever it can itself, as the
// autocheckpoint did.
//
// walCheckpointPages is large on purpose: a checkpoint copies each page
// once however often it was rewritten since the last, and the hot pages
// (the feed's tail, the indexes' right edges) are rewritten by every
// commit. At 16,000 pages rather than 4,000 the checkpointer's work per
// text fell enough that 8,000 sends in a row went 14% faster
// (docs/PERFORMANCE-LOG.md, "Seventh round").
const (
	walCheckpointPages = 16000 // 64 MB of 4 KB pages
	// walCatchUpPages is the tail the background's passes chase the WAL
	// down to before the writer copies the rest. A pass leaves about what
	// the writer committed while it ran: 150-1,000 pages in the load test
	// on a fast machine.
	walCatchUpPages = 2048
	// walCatchUpWait bounds the writer catch-up's wait for readers; one
	// that outlasts it leaves the WAL to the next round.
	walCatchUpWait = 3 * time.Millisecond
	walWriterPages = 64000 // 256 MB
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
	C.textbank_wal_limits(slot, C.int(w.writer), busyTimeoutMS, C.int(walCatchUpWait.Microseconds()))
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
		C.textbank_wal_limits(w.slot, C.int(writer), busyTimeoutMS, C.int(walCatchUpWait.Microseconds()))
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
		w.setBackfilled(0, false)
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

// setBackfilled records what the background copied; ready lets the
// writer catch up once after its next commit.
func (w *walWatch) setBackfilled(n int, ready bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.slot != nil {
		r := 0
		if ready {
			r = 1
		}
		C.textbank_wal_set_backfilled(w.slot, C.int(n), C.int(r))
	}
}

// walCounts are the checkpoints the writer ran itself.
type walCounts struct {
	caught    int // catch-ups after which the WAL starts over
	outlasted int // catch-ups a reader outlasted
	forced    int // past its limit
}

func (w *walWatch) counts() walCounts {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.slot == nil {
		return walCounts{}
	}
	return walCounts{caught: int(C.textbank_wal_caught(w.slot)), outlasted: int(C.textbank_wal_outlasted(w.slot)),
		forced: int(C.textbank_wal_forced(w.slot))}
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
			// A kick sent before the last passes recorded their progress
			// asked for what they did; a pass now would run beside the
			// writer's catch-up, and one of the two would find the
			// other's lock.
			if frames, done, bg := w.state(); frames-done < bg {
				continue
			}
		case <-idle.C:
			if frames, done, _ := w.state(); frames == 0 || frames == done {
				continue // nothing the last checkpoint did not copy
			}
		}
		w.passes()
	}
}

// passes checkpoints until what is left for the writer is a short tail,
// or a pass no longer shortens it; then the writer catches up.
func (w *walWatch) passes() {
	tail, done := -1, 0
	for range walMaxPasses {
		// PASSIVE never waits for the writer or readers. An error (a
		// closed file), or the row (1, -1, -1) of a checkpoint that found
		// the writer's own holding the lock, leaves the WAL for the next
		// round.
		var busy, log, copied int
		err := w.db.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &copied)
		if err != nil || copied < 0 {
			return
		}
		done = copied
		w.checkpoints.Add(1)
		// The writer went on committing while the pass copied, so what
		// is left is measured now, not at the pass's start. Each pass
		// leaves a tail about as long as it took; once that stops
		// shrinking, more passes only repeat it.
		frames, _, _ := w.state()
		last := tail
		tail = frames - done
		w.setBackfilled(done, false)
		w.mu.Lock()
		catchup := w.catchup
		w.mu.Unlock()
		if tail <= catchup || (last >= 0 && tail >= last) {
			break
		}
		select {
		case <-w.stop:
			return
		default:
		}
	}
	w.setBackfilled(done, true)
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
