package store

import (
	"context"
	"database/sql"
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
	frames0, writes0 := walVFSCounts()
	const commits = 200
	writeRows(t, st, 0, commits)
	frames, writes := walVFSCounts()
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
