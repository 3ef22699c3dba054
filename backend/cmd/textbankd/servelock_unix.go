//go:build !windows

package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// serveLockName is the file in --data that a running `serve` holds locked.
const serveLockName = "textbankd.lock"

// lockServe makes sure this is the only `textbankd serve` on the SQLite
// database in dataDir: the server keeps what it alone writes in memory
// (who tokens belong to, pool counts, what first texts' checks read), so a
// second server on the same file would act on stale copies. The organizer
// commands open the file beside a running server and take no lock. The
// kernel drops the lock when the process ends, however it ends.
func lockServe(dataDir string) (release func(), err error) {
	path := filepath.Join(dataDir, serveLockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if errors.Is(err, fs.ErrPermission) {
		if _, serr := os.Stat(path); serr == nil {
			// The lock is another user's (root ran serve here once):
			// the file is at fault, not the directory.
			return nil, unwritableFile(path)
		}
		// A directory this user may read but not write (made by root,
		// mode 0755): say whose it is, not the path twice.
		return nil, dataDirDenied(dataDir, "written", err)
	}
	if err != nil {
		return nil, err // *PathError: names the operation and the path
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another textbankd serve is running on the database in %s (it holds %s); stop it, or give this server a --data of its own", dataDir, path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
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
