package cache_test

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"

	"github.com/mattn/go-sqlite3"

	"github.com/textbank/textbank/backend/cache"
)

// Each kind of cause the app has words for is told apart (client/reopen.go).
func TestTroubleOf(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want cache.Trouble
	}{
		{fmt.Errorf("create cache file: %w", &os.PathError{Op: "open", Path: "x", Err: syscall.ENOSPC}), cache.TroubleFull},
		{fmt.Errorf("migrate cache: %w", sqlite3.Error{Code: sqlite3.ErrFull}), cache.TroubleFull},
		{fmt.Errorf("migrate cache: %w", sqlite3.Error{Code: sqlite3.ErrBusy}), cache.TroubleInUse},
		{errors.New("migrate cache: goose: database is locked"), cache.TroubleInUse},
		{fmt.Errorf("restrict cache dir: %w", &os.PathError{Op: "chmod", Path: "x", Err: syscall.EPERM}), cache.TroubleDenied},
		{fmt.Errorf("create cache file: %w", &os.PathError{Op: "open", Path: "x", Err: syscall.EROFS}), cache.TroubleDenied},
		{errors.New("migrate cache: file is not a database"), cache.TroubleDamaged},
		{fmt.Errorf("create cache file: %w", &os.PathError{Op: "open", Path: "x", Err: syscall.EISDIR}), cache.TroubleOther},
	} {
		if got := cache.TroubleOf(tc.err); got != tc.want {
			t.Errorf("TroubleOf(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
