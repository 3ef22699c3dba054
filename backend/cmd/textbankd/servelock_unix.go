//go:build !windows

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// serveLockName is the file in --data that a running `serve` holds locked.
const serveLockName = "textbankd.lock"

// lockServe makes sure this is the only `textbankd serve` on dataDir,
// which holds what (the SQLite database, or on PostgreSQL the simulated
// network's journal). The server keeps what it alone writes in memory
// (who tokens belong to, pool counts, what first texts' checks read), so a
// second server on the same SQLite file would act on stale copies; two
// simulated networks on one journal would interleave their lines, and each
// answer lookups and idempotent sends from its own memory of it. The
// organizer commands open the file beside a running server and take no
// lock. The lock file holds the server's process id, for the refusal of
// the next one to name. The kernel drops the lock when the process ends,
// however it ends.
//
// lock describes the lock file it holds by its handle (fstat), for serve's
// watch: the path's file a moment later may already be another's (the lock
// removed and a second server's made).
func lockServe(dataDir, what string) (release func(), lock os.FileInfo, err error) {
	path := filepath.Join(dataDir, serveLockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if errors.Is(err, fs.ErrPermission) {
		if _, serr := os.Stat(path); serr == nil {
			// The lock is another user's (root ran serve here once):
			// the file is at fault, not the directory.
			return nil, nil, unwritableFile(path)
		}
		// A directory this user may read but not write (made by root,
		// mode 0755): say whose it is, not the path twice.
		return nil, nil, dataDirDenied(dataDir, "written", err)
	}
	if err != nil {
		return nil, nil, err // *PathError: names the operation and the path
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			holder := "it holds " + path
			if pid, _ := io.ReadAll(io.LimitReader(f, 32)); len(bytes.TrimSpace(pid)) > 0 {
				holder = "process " + string(bytes.TrimSpace(pid)) + " holds " + path
			}
			return nil, nil, fmt.Errorf("another textbankd serve is running on %s in %s (%s); stop it, or give this server a --data of its own", what, dataDir, holder)
		}
		return nil, nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// Best effort: the lock, not its words, keeps a second server out.
	if f.Truncate(0) == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, fi, nil
}

// serveRunning reports whether a `textbankd serve` holds the lock of
// dataDir: the lock is tried and, if got, let go at once. Not for serve
// itself (its own lock, on another open file, would count).
func serveRunning(dataDir string) bool {
	f, err := os.Open(filepath.Join(dataDir, serveLockName))
	if err != nil {
		return false // no server ever ran here
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err == nil {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	}
	return errors.Is(err, syscall.EWOULDBLOCK)
}
