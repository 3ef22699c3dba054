package store

/*
int textbank_walvfs_register(void);
void textbank_walvfs_counts(long long *frames, long long *writes, long long *late);
long long textbank_walvfs_syncs(void);
*/
import "C"

import (
	"fmt"
	"sync"
)

// walVFS is the SQLite VFS the writer connection opens its database with
// (sqlite_walvfs.c): the default unix VFS, except that the frames a
// transaction appends to the WAL are written with one pwrite when its
// commit frame is complete, not two per page (a 24-byte frame header, then
// the page). A send dirties about nine pages; on this project's VMs, where
// every system call is dear, those pwrite calls were most of the COMMIT's
// cost and the COMMIT about half of the one writer's CPU.
//
// Nothing about durability changes: synchronous=NORMAL never synced a
// WAL commit, the commit frame still reaches the file before the commit
// returns and before SQLite publishes the new WAL header to other
// connections (the database file's xShmBarrier writes anything still held,
// as a safety net), and a process killed with frames held leaves a
// transaction without its commit frame, which recovery ignores as it
// always did. Reads, syncs, truncation and size queries of the WAL write
// what is held first.
const walVFS = "textbank"

var walVFSOnce = sync.OnceValue(func() error {
	if rc := C.textbank_walvfs_register(); rc != 0 {
		return fmt.Errorf("sqlite: register the %q VFS: error %d", walVFS, int(rc))
	}
	return nil
})

// walVFSCounts is how many frames the WAL files opened with the VFS were
// given in this process, how many writes reached the unix VFS, and how
// many times frames were still held when SQLite was about to publish a
// WAL header (tests: always 0).
func walVFSCounts() (frames, writes, late int64) {
	var f, w, l C.longlong
	C.textbank_walvfs_counts(&f, &w, &l)
	return int64(f), int64(w), int64(l)
}

// walVFSSyncs is how many times a WAL file opened with the VFS was synced
// in this process (tests).
func walVFSSyncs() int64 { return int64(C.textbank_walvfs_syncs()) }
