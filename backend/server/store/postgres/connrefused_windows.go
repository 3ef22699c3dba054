package postgres

import (
	"errors"
	"syscall"

	"golang.org/x/sys/windows"
)

// connRefused reports whether err is a dial nothing listened to. Windows
// sockets say so with WSAECONNREFUSED (10061): syscall.ECONNREFUSED there
// is a number of Go's own that no dial returns, so a check on it alone
// never gave the hint on Windows.
func connRefused(err error) bool {
	return errors.Is(err, windows.WSAECONNREFUSED) || errors.Is(err, syscall.ECONNREFUSED)
}
