package cache

import (
	"os"
	"time"
)

// removeFile and renameFile delete and replace the cache's files (Wipe,
// KeepOnlyWaiting). On Windows a file another program holds open for a
// moment (an antivirus scanning the new file, the search indexer, a
// backup) refuses both, as a file of ours still open would; SQLite retries
// its own deletes there for that reason, and so do these, for about a
// second in all. Tests replace them (WindowsFiles).
var (
	removeFile = func(path string) error {
		return retryBusy(func() error { return os.Remove(path) }, fileBusy, pauseBusy)
	}
	renameFile = func(from, to string) error {
		return retryBusy(func() error { return os.Rename(from, to) }, fileBusy, pauseBusy)
	}
)

// busyTries is how many times a busy file is tried.
const busyTries = 10

// retryBusy runs op until it succeeds, fails otherwise than busy says, or
// has been tried busyTries times; pause waits after the try-th.
func retryBusy(op func() error, busy func(error) bool, pause func(try int)) error {
	for try := 1; ; try++ {
		err := op()
		if err == nil || !busy(err) || try == busyTries {
			return err
		}
		pause(try)
	}
}

// pauseBusy waits a little longer each try: 25 ms to 225 ms, 1.1 s in all.
func pauseBusy(try int) { time.Sleep(time.Duration(try) * 25 * time.Millisecond) }
