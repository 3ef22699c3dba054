package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// walTestStore opens a store with a scratch table of page-sized rows, so
// that each write adds about one page to the WAL.
func walTestStore(t *testing.T, bg, catchup, writer int, idle time.Duration) (*SQLite, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wal.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.write.ExecContext(ctx, `CREATE TABLE scratch (id INTEGER PRIMARY KEY, body BLOB NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	st.wal.setLimits(bg, catchup, writer, idle)
	// The background's idle wait began at Open with the default (5 s):
	// a kick starts it over with the test's, else a test writing for
	// longer than that on a loaded machine sees an idle checkpoint it
	// did not ask for.
	st.wal.kick <- struct{}{}
	return st, path
}

// writeRows commits n rows of about a page each, one transaction each,
// the way a busy server's groups follow one another.
func writeRows(t *testing.T, st *SQLite, from, n int) {
	t.Helper()
	ctx := context.Background()
	body := []byte(strings.Repeat("x", 3500))
	for i := from; i < from+n; i++ {
		err := st.Update(ctx, func(tx Tx) error {
			_, err := tx.(*sqliteTx).tx.ExecContext(ctx, `INSERT INTO scratch (id, body) VALUES (?, ?)`, i, body)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func walPages(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size() / (4096 + 24)
}

// TestWALCheckpointedBesideTheWriter: once the WAL passes the threshold
// the background checkpointer copies it into the database file, the
// writer never has to, and the WAL is reused from its beginning instead of
// growing with every write, while readers read throughout. The writes go
// on until the WAL started over, up to a bound: how many a cycle takes
// depends on how fast the machine syncs and schedules.
func TestWALCheckpointedBesideTheWriter(t *testing.T) {
	// Past limit the writer would checkpoint itself: a WAL that never
	// started over would pass it well before the last row.
	const limit = 20000
	st, path := walTestStore(t, 600, 300, limit, time.Hour)
	ctx := context.Background()
	stop := make(chan struct{})
	var reads atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // a reader, as the server's reads run beside its writes
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			// Short reads, as a server's are (a token, a page of sync).
			var n int
			if err := st.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT id FROM scratch ORDER BY id DESC LIMIT 10)`).Scan(&n); err != nil {
				t.Error(err)
				return
			}
			reads.Add(1)
		}
	}()
	// Each row adds about three pages.
	const chunk, most = 500, 15000
	rows := 0
	for rows < most && (st.wal.counts().caught == 0 || st.wal.restarts.Load() == 0) {
		writeRows(t, st, rows, chunk)
		rows += chunk
	}
	close(stop)
	wg.Wait()
	c := st.wal.counts()
	t.Logf("%d rows, %d reads beside them; %d background checkpoints, %d caught up, %d outlasted, %d forced, %d restarts, %d pages in the file",
		rows, reads.Load(), st.wal.checkpoints.Load(), c.caught, c.outlasted, c.forced, st.wal.restarts.Load(), walPages(t, path))

	if st.wal.checkpoints.Load() == 0 {
		t.Fatal("no background checkpoint ran")
	}
	if c.forced != 0 {
		t.Errorf("the writer checkpointed %d times past its limit", c.forced)
	}
	if c.caught == 0 {
		t.Error("the writer never copied a tail itself")
	}
	// The WAL started over after the background caught up (and the
	// writer copied the tail), rather than growing with every write.
	if st.wal.restarts.Load() == 0 {
		t.Errorf("the WAL never started over (%d pages in its file)", walPages(t, path))
	}
	var n int
	if err := st.read.QueryRowContext(ctx, `SELECT count(*) FROM scratch`).Scan(&n); err != nil || n != rows {
		t.Fatalf("%d rows (%v), want %d", n, err, rows)
	}
}

// TestWALWriterCheckpointsPastItsLimit: when the background does not keep
// the WAL short (here it is never asked), the writer checkpoints itself
// once the WAL passes its limit, as SQLite's autocheckpoint did, so the
// file stays bounded.
func TestWALWriterCheckpointsPastItsLimit(t *testing.T) {
	st, path := walTestStore(t, 1<<30, 32, 300, time.Hour)
	writeRows(t, st, 0, 2000)
	if st.wal.counts().forced == 0 {
		t.Fatal("the writer never checkpointed past its limit")
	}
	if st.wal.checkpoints.Load() != 0 {
		t.Error("a background checkpoint ran below its threshold")
	}
	if p := walPages(t, path); p > 400 {
		t.Errorf("the WAL holds %d pages, limit 300", p)
	}
}

// TestWALIdleCheckpoint: a WAL below the threshold is copied once writes
// stop for a while, and nothing is lost across a reopen.
func TestWALIdleCheckpoint(t *testing.T) {
	st, path := walTestStore(t, 1<<30, 32, 1<<30, 20*time.Millisecond)
	writeRows(t, st, 0, 50)
	deadline := time.Now().Add(10 * time.Second)
	for frames, done, _ := st.wal.state(); frames == 0 || done != frames; frames, done, _ = st.wal.state() {
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint of an idle WAL")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st2, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	var n int
	if err := st2.read.QueryRow(`SELECT count(*) FROM scratch`).Scan(&n); err != nil || n != 50 {
		t.Fatalf("%d rows after reopen (%v), want 50", n, err)
	}
}

// TestWALCatchUpOutlastedByAReader: the writer's catch-up waits for
// readers only briefly. A reader holding its snapshot leaves the WAL as
// it was (the write is not held for the busy timeout), and the next
// catch-up, once it has finished, starts the WAL over.
func TestWALCatchUpOutlastedByAReader(t *testing.T) {
	st, _ := walTestStore(t, 1<<30, 300, 1<<30, time.Hour)
	ctx := context.Background()
	writeRows(t, st, 0, 50)
	tx := holdSnapshot(t, st, 50)
	defer tx.Rollback()
	var n int
	// As if the background had copied everything so far and finished its
	// passes: the writer catches up after its next commit.
	frames, _, _ := st.wal.state()
	st.wal.setBackfilled(frames, true)
	start := time.Now()
	writeRows(t, st, 50, 1)
	// The bound is walCatchUpWait (3 ms); what fails is a write held for
	// the busy timeout (10 s). Half of it leaves a loaded CI machine
	// (2 cores, -race) all the slack it needs: the speed is make bench's.
	if took := time.Since(start); took > busyTimeoutMS*time.Millisecond/2 {
		t.Errorf("a write beside the reader took %v: the catch-up waited past its bound", took)
	}
	if c := st.wal.counts(); c.outlasted != 1 || c.caught != 0 {
		t.Fatalf("counts %+v, want one catch-up outlasted by the reader", c)
	}
	writeRows(t, st, 51, 1)
	if c := st.wal.counts(); c.outlasted != 1 || c.caught != 0 {
		t.Fatalf("counts %+v: the writer tried again before the background's next passes", c)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}

	frames, _, _ = st.wal.state()
	st.wal.setBackfilled(frames, true)
	writeRows(t, st, 52, 1)
	if c := st.wal.counts(); c.caught != 1 {
		t.Fatalf("counts %+v, want one catch-up once the reader was gone", c)
	}
	before := st.wal.restarts.Load()
	writeRows(t, st, 53, 1)
	if st.wal.restarts.Load() != before+1 {
		t.Fatalf("the WAL did not start over at the write after the catch-up (%d frames)", func() int { f, _, _ := st.wal.state(); return f }())
	}
	if err := st.read.QueryRowContext(ctx, `SELECT count(*) FROM scratch`).Scan(&n); err != nil || n != 54 {
		t.Fatalf("%d rows (%v), want 54", n, err)
	}
}

// TestWALBusyPassLeavesTheRound: a background pass that finds another
// checkpoint holding the lock gets the row (1, -1, -1), not an error; it
// must end the round without recording -1 pages copied or letting the
// writer catch up. And a catch-up leaves the writer's busy timeout as it
// was.
func TestWALBusyPassLeavesTheRound(t *testing.T) {
	st, path := walTestStore(t, 1<<30, 300, 1<<30, time.Hour)
	ctx := context.Background()
	writeRows(t, st, 0, 50)
	// A reader holds its snapshot, so a RESTART checkpoint on a connection
	// of its own copies the WAL and then waits, holding the checkpoint
	// lock, until the reader is done.
	tx := holdSnapshot(t, st, 50)
	defer tx.Rollback()
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	restarted := make(chan error, 1)
	go func() {
		// It finds the lock taken, and answers at once, while a pass of
		// the loop below holds it; then it tries again.
		for {
			var busy, log, done int
			err := other.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(RESTART)`).Scan(&busy, &log, &done)
			if err != nil || done >= 0 {
				restarted <- err
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	// Until the other checkpoint holds the lock, a pass gets through.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var busy, log, done int
		if err := st.wal.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &done); err != nil {
			t.Fatal(err)
		}
		if done < 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the other checkpoint never held the lock")
		}
		time.Sleep(time.Millisecond)
	}
	frames, _, _ := st.wal.state()
	st.wal.setBackfilled(7, false)
	before := st.wal.checkpoints.Load()
	st.wal.passes()
	if _, done, _ := st.wal.state(); done != 7 {
		t.Errorf("after a busy pass the background copied %d pages, want 7 as before", done)
	}
	if got := st.wal.checkpoints.Load(); got != before {
		t.Errorf("a busy pass was counted as a checkpoint (%d -> %d)", before, got)
	}
	// The other checkpoint holds the writer's lock too while it waits.
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := <-restarted; err != nil {
		t.Fatal(err)
	}
	writeRows(t, st, 50, 1)
	if c := st.wal.counts(); c.caught+c.outlasted != 0 {
		t.Errorf("counts %+v: the writer caught up after a busy pass (%d frames)", c, frames)
	}

	// A catch-up puts the writer's own busy timeout back.
	frames, _, _ = st.wal.state()
	st.wal.setBackfilled(frames, true)
	writeRows(t, st, 51, 1)
	if c := st.wal.counts(); c.caught != 1 {
		t.Fatalf("counts %+v, want one catch-up", c)
	}
	var ms int
	if err := st.write.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&ms); err != nil || ms != busyTimeoutMS {
		t.Fatalf("the writer's busy timeout after a catch-up: %d (%v), want %d", ms, err, busyTimeoutMS)
	}
}

// holdSnapshot begins a read transaction on st's read pool and reads the
// scratch table (rows of them), so that it holds its snapshot until it ends.
func holdSnapshot(t *testing.T, st *SQLite, rows int) *sql.Tx {
	t.Helper()
	tx, err := st.read.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRowContext(context.Background(), `SELECT count(*) FROM scratch`).Scan(&n); err != nil || n != rows {
		tx.Rollback()
		t.Fatalf("%d rows (%v), want %d", n, err, rows)
	}
	return tx
}
