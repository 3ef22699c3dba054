package store

/*
extern int sqlite3_config(int, ...);
extern long long sqlite3_memory_used(void);

// SQLITE_CONFIG_MEMSTATUS is 9 in sqlite3.h, which is not on our include
// path (see sqlite_walvfs.c).
static int textbank_memstatus_off(void) { return sqlite3_config(9, 0); }
static long long textbank_memory_used(void) { return sqlite3_memory_used(); }
*/
import "C"

import "sync"

// memstatusOff turns SQLite's memory statistics off for this process, as
// SQLite's list of recommended options advises. With them on (go-sqlite3's
// build), every allocation and free inside SQLite takes one process-wide
// mutex, which the writer and the read pool's connections then queue on
// for their B-tree pages and statements: interleaved load-driver runs
// accepted 6-18% more sends with them off. Nothing here reads them
// (no soft heap limit is set).
//
// SQLite takes the setting only before its first use in the process and
// refuses it afterwards, changing nothing: Open calls this before anything
// else touches SQLite, which in textbankd, the load driver and the desktop
// app's demo mode (its server starts before its cache) is the first use.
// It reports whether SQLite took it.
var memstatusOff = sync.OnceValue(func() bool { return C.textbank_memstatus_off() == 0 })

// sqliteMemoryUsed is SQLite's count of the memory it holds, which stays 0
// while the statistics are off (tests).
func sqliteMemoryUsed() int64 { return int64(C.textbank_memory_used()) }
