package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWALFramesWrittenOncePerCommit: the writer's WAL frames reach the
// file in one write per transaction, not two per page.
func TestWALFramesWrittenOncePerCommit(t *testing.T) {
	st, _ := walTestStore(t, 1<<30, 32, 1<<30, time.Hour)
	frames0, writes0, _ := walVFSCounts()
	const commits = 200
	writeRows(t, st, 0, commits)
	frames, writes, _ := walVFSCounts()
	frames, writes = frames-frames0, writes-writes0
	t.Logf("%d commits: %d frames in %d writes", commits, frames, writes)
	if frames < 2*commits {
		t.Fatalf("%d frames for %d commits of a page-sized row each", frames, commits)
	}
	if writes > commits+commits/10 {
		t.Errorf("%d writes for %d commits: frames are not written together", writes, commits)
	}
}

// TestWALRewrittenFramesAndRecovery: a transaction larger than the
// writer's page cache spills pages to the WAL and rewrites some of them
// before it commits (SQLite then rewrites frame headers in place); the
// database stays whole, and a copy of its files taken while the store is
// open, as a crash would leave them, recovers every row from the WAL.
func TestWALRewrittenFramesAndRecovery(t *testing.T) {
	st, path := walTestStore(t, 1<<30, 32, 1<<30, time.Hour)
	ctx := context.Background()
	if _, err := st.write.ExecContext(ctx, `PRAGMA cache_size = 10`); err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("y", 3500)
	err := st.Update(ctx, func(tx Tx) error {
		run := tx.(*sqliteTx).tx
		for i := range 1500 {
			if _, err := run.ExecContext(ctx, `INSERT INTO scratch (id, body) VALUES (?, ?)`, i, body); err != nil {
				return err
			}
		}
		_, err := run.ExecContext(ctx, `UPDATE scratch SET body = upper(body) WHERE id % 3 = 0`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	writeRows(t, st, 1500, 20) // and a few small commits after it

	check := func(db *sql.DB, where string) {
		t.Helper()
		var ok string
		if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("%s: integrity_check %q (%v)", where, ok, err)
		}
		var n, upper int
		if err := db.QueryRow(`SELECT count(*), sum(body = upper(body)) FROM scratch`).Scan(&n, &upper); err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		if n != 1520 || upper != 500 {
			t.Fatalf("%s: %d rows, %d upper case; want 1520 and 500", where, n, upper)
		}
	}
	check(st.read, "the store")

	crash := filepath.Join(t.TempDir(), "crash.db")
	for _, suffix := range []string{"", "-wal"} {
		copyFile(t, path+suffix, crash+suffix)
	}
	if fi, err := os.Stat(crash + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("no WAL to recover from (%v)", err)
	}
	db, err := sql.Open("sqlite3", crash)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check(db, "the copy")
	if _, _, late := walVFSCounts(); late != 0 {
		t.Errorf("frames were still held %d times when SQLite published a WAL header", late)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func walCount(t *testing.T, db *sql.DB, where string) int {
	t.Helper()
	var ok string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("%s: integrity_check %q (%v)", where, ok, err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM scratch`).Scan(&n); err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	return n
}

func walCrashCopy(t *testing.T, path string, i int) int {
	t.Helper()
	crash := filepath.Join(t.TempDir(), fmt.Sprintf("crash%d.db", i))
	for _, s := range []string{"", "-wal"} {
		copyFile(t, path+s, crash+s)
	}
	db, err := sql.Open("sqlite3", crash)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return walCount(t, db, "copy")
}

// TestWALVFSSpillsRollbacksAndCrashCopies: transactions larger than the
// writer's cache (they spill frames to the WAL and overwrite some in
// place), a savepoint rolled back after spilling, whole spilled
// transactions rolled back, small commits, and background checkpoints
// that restart the WAL, in turn. After each, a reader and a copy of the
// files taken then (what a crash leaves) hold exactly what was committed,
// and no frame was still held when SQLite published a WAL header.
// (Written by a reviewer of sqlite_walvfs.c.)
func TestWALVFSSpillsRollbacksAndCrashCopies(t *testing.T) {
	st, path := walTestStore(t, 64, 32, 1<<30, 10*time.Millisecond)
	ctx := context.Background()
	if _, err := st.write.ExecContext(ctx, `PRAGMA cache_size = 10`); err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("y", 3500)
	want := 0
	next := 0
	boom := errors.New("boom")
	for round := 0; round < 12; round++ {
		kind := round % 4
		err := st.Update(ctx, func(tx Tx) error {
			run := tx.(*sqliteTx).tx
			n := 5
			if kind != 0 {
				n = 400 // > 1 MB of frames, spills with cache_size 10
			}
			for i := 0; i < n; i++ {
				if _, err := run.ExecContext(ctx, `INSERT INTO scratch (id, body) VALUES (?, ?)`, next+i, body); err != nil {
					return err
				}
			}
			if kind == 2 { // savepoint rolled back after spilling
				if _, err := run.ExecContext(ctx, `SAVEPOINT s`); err != nil {
					return err
				}
				for i := 0; i < 300; i++ {
					if _, err := run.ExecContext(ctx, `INSERT INTO scratch (id, body) VALUES (?, ?)`, 1_000_000+next+i, body); err != nil {
						return err
					}
				}
				if _, err := run.ExecContext(ctx, `UPDATE scratch SET body = upper(body) WHERE id % 3 = 0`); err != nil {
					return err
				}
				if _, err := run.ExecContext(ctx, `ROLLBACK TO s`); err != nil {
					return err
				}
				if _, err := run.ExecContext(ctx, `RELEASE s`); err != nil {
					return err
				}
			}
			if _, err := run.ExecContext(ctx, `UPDATE scratch SET body = lower(body) WHERE id % 7 = 0`); err != nil {
				return err
			}
			if kind == 3 {
				return boom // whole spilled transaction rolled back
			}
			return nil
		})
		if kind == 3 {
			if !errors.Is(err, boom) {
				t.Fatalf("round %d: %v", round, err)
			}
		} else {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			if kind == 0 {
				want += 5
			} else {
				want += 400
			}
		}
		next += 400
		if got := walCount(t, st.read, "reader"); got != want {
			t.Fatalf("round %d: reader sees %d want %d", round, got, want)
		}
		if got := walCrashCopy(t, path, round); got != want {
			t.Fatalf("round %d: crash copy has %d want %d", round, got, want)
		}
		writeRows(t, st, 10_000_000+round*10, 3)
		want += 3
		if got := walCrashCopy(t, path, 100+round); got != want {
			t.Fatalf("round %d: crash copy after small commits has %d want %d", round, got, want)
		}
	}
	if _, err := st.read.Exec(`PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		t.Fatal(err)
	}
	writeRows(t, st, 20_000_000, 50)
	want += 50
	if got := walCrashCopy(t, path, 999); got != want {
		t.Fatalf("end: %d want %d", got, want)
	}
	f, w, late := walVFSCounts()
	t.Logf("frames %d writes %d, checkpoints %d", f, w, st.wal.checkpoints.Load())
	if late != 0 {
		t.Errorf("frames were still held %d times when SQLite published a WAL header", late)
	}
}
