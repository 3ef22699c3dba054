package cache

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

// WindowsFiles makes deleting and renaming the cache's files refuse while
// any of c's connections is open, as Windows refuses a file a handle holds
// open, and runs whileClosing when Close starts to wait for connections
// still in use. Undone at the test's end.
func WindowsFiles(t testing.TB, c *Cache, whileClosing func()) {
	inUse := func(op, path string) error {
		if n := c.conns.open(); n > 0 {
			return &os.PathError{Op: op, Path: path, Err: fmt.Errorf("the process cannot access the file because it is being used by another process (%d connections open)", n)}
		}
		return nil
	}
	remove, rename := removeFile, renameFile
	removeFile = func(p string) error {
		if err := inUse("remove", p); err != nil {
			return err
		}
		return remove(p)
	}
	renameFile = func(from, to string) error {
		if err := inUse("rename", to); err != nil {
			return err
		}
		return rename(from, to)
	}
	c.conns.waiting = whileClosing
	t.Cleanup(func() { removeFile, renameFile = remove, rename })
}

// HoldRead starts a read on one of c's connections and keeps it there
// until the returned func is called: a window's read under way.
func HoldRead(t testing.TB, c *Cache) (release func()) {
	rows, err := c.db.QueryContext(context.Background(), `SELECT id FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	return func() { _ = rows.Close() }
}

// ShortCloseWait makes Close wait at most d for reads under way. Undone at
// the test's end.
func ShortCloseWait(t testing.TB, d time.Duration) {
	old := closeWait
	closeWait = d
	t.Cleanup(func() { closeWait = old })
}
