//go:build !windows

package postgres

import (
	"errors"
	"syscall"
)

// connRefused reports whether err is a dial nothing listened to.
func connRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }
