package cache

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// Trouble is what kind of cause kept the cache from opening, for the words
// the app says about it (client/reopen.go); the cause itself is logged.
type Trouble int

const (
	TroubleOther   Trouble = iota
	TroubleFull            // the disk is full
	TroubleInUse           // another program holds the file locked
	TroubleDenied          // not allowed: permissions, a read-only disk
	TroubleDamaged         // the file is not a database, or a damaged one
)

// TroubleOf says what kind of cause err, Open's failure, is.
func TroubleOf(err error) Trouble {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrFull:
			return TroubleFull
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return TroubleInUse
		case sqlite3.ErrPerm, sqlite3.ErrReadonly, sqlite3.ErrAuth:
			return TroubleDenied
		case sqlite3.ErrNotADB, sqlite3.ErrCorrupt:
			return TroubleDamaged
		}
	}
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return TroubleFull
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		return TroubleDenied
	}
	// A migration's error may carry the driver's only as text.
	msg := err.Error()
	switch {
	case strings.Contains(msg, "database or disk is full"):
		return TroubleFull
	case strings.Contains(msg, "database is locked"):
		return TroubleInUse
	case strings.Contains(msg, "file is not a database"), strings.Contains(msg, "database disk image is malformed"):
		return TroubleDamaged
	case strings.Contains(msg, "attempt to write a readonly database"):
		return TroubleDenied
	}
	return TroubleOther
}
