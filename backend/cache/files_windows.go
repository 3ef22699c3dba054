package cache

import (
	"errors"

	"golang.org/x/sys/windows"
)

// fileBusy: the file is open elsewhere (a sharing or lock violation; a
// delete pending on a file still open reads as access denied).
func fileBusy(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_LOCK_VIOLATION) ||
		errors.Is(err, windows.ERROR_ACCESS_DENIED)
}
