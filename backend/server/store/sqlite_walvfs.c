// The "textbank" SQLite VFS: the default unix VFS, except that the frames a
// transaction appends to a WAL file reach the file in one write instead of
// two per page (sqlite_walvfs.go says why and when).
//
// SQLite is compiled into github.com/mattn/go-sqlite3, whose header is not
// on our include path; the few public types used here are declared as
// sqlite3.h declares them (a stable ABI: sqlite3_file, sqlite3_io_methods
// version 3, sqlite3_vfs).

#include <stdlib.h>
#include <string.h>

typedef long long sqlite3_int64;
typedef struct sqlite3_file sqlite3_file;
typedef struct sqlite3_io_methods sqlite3_io_methods;
typedef struct sqlite3_vfs sqlite3_vfs;

struct sqlite3_file {
	const sqlite3_io_methods *pMethods;
};

struct sqlite3_io_methods {
	int iVersion;
	int (*xClose)(sqlite3_file *);
	int (*xRead)(sqlite3_file *, void *, int iAmt, sqlite3_int64 iOfst);
	int (*xWrite)(sqlite3_file *, const void *, int iAmt, sqlite3_int64 iOfst);
	int (*xTruncate)(sqlite3_file *, sqlite3_int64 size);
	int (*xSync)(sqlite3_file *, int flags);
	int (*xFileSize)(sqlite3_file *, sqlite3_int64 *pSize);
	int (*xLock)(sqlite3_file *, int);
	int (*xUnlock)(sqlite3_file *, int);
	int (*xCheckReservedLock)(sqlite3_file *, int *pResOut);
	int (*xFileControl)(sqlite3_file *, int op, void *pArg);
	int (*xSectorSize)(sqlite3_file *);
	int (*xDeviceCharacteristics)(sqlite3_file *);
	int (*xShmMap)(sqlite3_file *, int iPg, int pgsz, int, void volatile **);
	int (*xShmLock)(sqlite3_file *, int offset, int n, int flags);
	void (*xShmBarrier)(sqlite3_file *);
	int (*xShmUnmap)(sqlite3_file *, int deleteFlag);
	int (*xFetch)(sqlite3_file *, sqlite3_int64 iOfst, int iAmt, void **pp);
	int (*xUnfetch)(sqlite3_file *, sqlite3_int64 iOfst, void *p);
};

struct sqlite3_vfs {
	int iVersion;
	int szOsFile;
	int mxPathname;
	sqlite3_vfs *pNext;
	const char *zName;
	void *pAppData;
	int (*xOpen)(sqlite3_vfs *, const char *zName, sqlite3_file *, int flags, int *pOutFlags);
	void *rest[15]; // xDelete ... xNextSystemCall (version 3): inherited as they are
};

extern sqlite3_vfs *sqlite3_vfs_find(const char *zVfsName);
extern int sqlite3_vfs_register(sqlite3_vfs *, int makeDflt);
extern sqlite3_file *sqlite3_database_file_object(const char *);
extern void sqlite3_log(int iErrCode, const char *zFormat, ...);

#define SQLITE_OK 0
#define SQLITE_ERROR 1
#define SQLITE_NOMEM 7
#define SQLITE_OPEN_WAL 0x00080000

enum {
	FRAME_HEADER = 24,      // a WAL frame's header, written before its page
	BUFFER_CAP = 1 << 20,   // frames held before they are written anyway
	WRITE_MAX = 31 * 4096,  // one write to the unix VFS (below its 0x1ffff)
};

typedef struct tb_file tb_file;
struct tb_file {
	sqlite3_file base;
	sqlite3_file *real; // the unix VFS's file, allocated right after this
	tb_file *wal;       // a database file's WAL, while open
	tb_file *db;        // a WAL file's database file
	int is_wal;
	// Frames appended since the last write: len bytes that belong at off.
	char *buf;
	int len;
	sqlite3_int64 off;
	sqlite3_int64 end; // where the last write that reached the file ended
	int commit_pending; // the frame being appended ends a transaction
	int error;          // a deferred write that failed, returned by the next call
};

static sqlite3_vfs tb_vfs;
static sqlite3_vfs *tb_parent;

// Counts over every WAL opened with this VFS, for tests: frames appended,
// and writes that reached the unix VFS.
static long long tb_frames, tb_writes;

// tb_late counts frames the database file's xShmBarrier found still held:
// none should be (the commit frame's write, or a read, sync or size query,
// writes them first), and a test says so. Were one held there and its
// write to fail, SQLite would publish a header naming frames not on file.
static long long tb_late;

// tb_syncs counts syncs of a WAL file: a commit with synchronous=FULL
// makes one, with NORMAL none (tests).
static long long tb_syncs;

static int tb_real_write(tb_file *p, const void *b, int n, sqlite3_int64 off) {
	__atomic_add_fetch(&tb_writes, 1, __ATOMIC_RELAXED);
	return p->real->pMethods->xWrite(p->real, b, n, off);
}

void textbank_walvfs_counts(long long *frames, long long *writes, long long *late) {
	*frames = __atomic_load_n(&tb_frames, __ATOMIC_RELAXED);
	*writes = __atomic_load_n(&tb_writes, __ATOMIC_RELAXED);
	*late = __atomic_load_n(&tb_late, __ATOMIC_RELAXED);
}

long long textbank_walvfs_syncs(void) { return __atomic_load_n(&tb_syncs, __ATOMIC_RELAXED); }

static int tb_flush(tb_file *p) {
	if (p->len == 0) {
		return SQLITE_OK;
	}
	int rc = SQLITE_OK;
	// The unix VFS writes at most 128 KB - 1 in one call (it masks the
	// size to 17 bits), so what is held goes in pieces below that.
	for (int done = 0; done < p->len && rc == SQLITE_OK; done += WRITE_MAX) {
		int n = p->len - done < WRITE_MAX ? p->len - done : WRITE_MAX;
		rc = tb_real_write(p, p->buf + done, n, p->off + done);
	}
	p->end = p->off + p->len;
	p->len = 0;
	return rc;
}

// tb_flush_deferred writes what is held where no error can be returned;
// a failure is kept for the file's next call.
static void tb_flush_deferred(tb_file *p) {
	int rc = tb_flush(p);
	if (rc != SQLITE_OK && p->error == SQLITE_OK) {
		p->error = rc;
	}
}

static int tb_settle(tb_file *p) {
	int rc = tb_flush(p);
	if (p->error != SQLITE_OK) {
		rc = p->error;
		p->error = SQLITE_OK;
	}
	return rc;
}

static unsigned be32(const unsigned char *b) {
	return ((unsigned)b[0] << 24) | ((unsigned)b[1] << 16) | ((unsigned)b[2] << 8) | b[3];
}

static int tb_close(sqlite3_file *f) {
	tb_file *p = (tb_file *)f;
	int rc = p->is_wal ? tb_settle(p) : SQLITE_OK;
	if (p->db) {
		p->db->wal = 0;
	}
	if (p->wal) {
		tb_flush_deferred(p->wal);
		p->wal->db = 0;
	}
	free(p->buf);
	p->buf = 0;
	int rc2 = p->real->pMethods->xClose(p->real);
	return rc != SQLITE_OK ? rc : rc2;
}

static int tb_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off) {
	tb_file *p = (tb_file *)f;
	if (p->is_wal) {
		int rc = tb_settle(p);
		if (rc != SQLITE_OK) {
			return rc;
		}
	}
	return p->real->pMethods->xRead(p->real, b, n, off);
}

// tb_write holds a WAL's appended frames (a header, then its page, then
// the next header...) and writes them at once when the frame that ends the
// transaction is complete. Anything else is written through, after what
// is held.
static int tb_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off) {
	tb_file *p = (tb_file *)f;
	if (!p->is_wal) {
		return p->real->pMethods->xWrite(p->real, b, n, off);
	}
	if (p->error != SQLITE_OK) {
		return tb_settle(p);
	}
	// A frame header starts what is held only where the file ends (a
	// header rewritten in place, as after a page written twice in one
	// transaction, goes through).
	int appends = p->len > 0 ? off == p->off + p->len : n == FRAME_HEADER && off == p->end;
	if (!appends || p->len + n > BUFFER_CAP) {
		int rc = tb_flush(p);
		if (rc != SQLITE_OK) {
			return rc;
		}
		p->commit_pending = 0;
		if (!appends || n != FRAME_HEADER) {
			rc = tb_real_write(p, b, n, off);
			if (off == 0) {
				p->end = n; // the WAL's header: the WAL starts over
			} else if (off + n > p->end) {
				p->end = off + n;
			}
			return rc;
		}
	}
	if (p->len == 0) {
		p->off = off;
	}
	memcpy(p->buf + p->len, b, n);
	p->len += n;
	if (n == FRAME_HEADER) {
		__atomic_add_fetch(&tb_frames, 1, __ATOMIC_RELAXED);
		// Bytes 4-7 of a frame header: the database size after a commit,
		// zero in every other frame.
		p->commit_pending = be32((const unsigned char *)b + 4) != 0;
		return SQLITE_OK;
	}
	if (p->commit_pending) {
		p->commit_pending = 0;
		return tb_flush(p);
	}
	return SQLITE_OK;
}

static int tb_truncate(sqlite3_file *f, sqlite3_int64 size) {
	tb_file *p = (tb_file *)f;
	if (p->is_wal) {
		int rc = tb_settle(p);
		if (rc != SQLITE_OK) {
			return rc;
		}
		if (p->end > size) {
			p->end = size;
		}
	}
	return p->real->pMethods->xTruncate(p->real, size);
}

static int tb_sync(sqlite3_file *f, int flags) {
	tb_file *p = (tb_file *)f;
	if (p->is_wal) {
		__atomic_add_fetch(&tb_syncs, 1, __ATOMIC_RELAXED);
		int rc = tb_settle(p);
		if (rc != SQLITE_OK) {
			return rc;
		}
	}
	return p->real->pMethods->xSync(p->real, flags);
}

static int tb_file_size(sqlite3_file *f, sqlite3_int64 *size) {
	tb_file *p = (tb_file *)f;
	if (p->is_wal) {
		int rc = tb_settle(p);
		if (rc != SQLITE_OK) {
			return rc;
		}
	}
	return p->real->pMethods->xFileSize(p->real, size);
}

#define REAL(f) (((tb_file *)(f))->real)

static int tb_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int tb_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int tb_check_reserved(sqlite3_file *f, int *out) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }
static int tb_file_control(sqlite3_file *f, int op, void *arg) { return REAL(f)->pMethods->xFileControl(REAL(f), op, arg); }
static int tb_sector_size(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int tb_device(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int tb_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp) {
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}
static int tb_shm_lock(sqlite3_file *f, int off, int n, int flags) {
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static int tb_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }

// tb_shm_barrier comes before SQLite publishes a new WAL header to other
// connections: no frame it names may still be held. (The commit frame's
// write has written them already; this is the safety net.)
static void tb_shm_barrier(sqlite3_file *f) {
	tb_file *p = (tb_file *)f;
	if (p->wal && p->wal->len > 0) {
		__atomic_add_fetch(&tb_late, 1, __ATOMIC_RELAXED);
		tb_flush_deferred(p->wal);
		if (p->wal->error != SQLITE_OK) {
			sqlite3_log(p->wal->error, "textbank VFS: WAL frames held until a barrier could not be written");
		}
	}
	p->real->pMethods->xShmBarrier(p->real);
}

static int tb_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp) {
	if (REAL(f)->pMethods->iVersion < 3) {
		*pp = 0;
		return SQLITE_OK;
	}
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int tb_unfetch(sqlite3_file *f, sqlite3_int64 off, void *pp) {
	if (REAL(f)->pMethods->iVersion < 3) {
		return SQLITE_OK;
	}
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, pp);
}

static const sqlite3_io_methods tb_methods = {
	3,
	tb_close, tb_read, tb_write, tb_truncate, tb_sync, tb_file_size,
	tb_lock, tb_unlock, tb_check_reserved, tb_file_control, tb_sector_size, tb_device,
	tb_shm_map, tb_shm_lock, tb_shm_barrier, tb_shm_unmap,
	tb_fetch, tb_unfetch,
};

static int tb_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out) {
	tb_file *p = (tb_file *)f;
	memset(p, 0, sizeof *p);
	p->real = (sqlite3_file *)&p[1];
	int rc = tb_parent->xOpen(tb_parent, name, p->real, flags, out);
	if (p->real->pMethods == 0) {
		p->base.pMethods = 0; // nothing to close
		return rc;
	}
	p->base.pMethods = &tb_methods;
	if (rc == SQLITE_OK && (flags & SQLITE_OPEN_WAL) && name) {
		p->buf = malloc(BUFFER_CAP);
		if (!p->buf) {
			p->real->pMethods->xClose(p->real);
			p->base.pMethods = 0;
			return SQLITE_NOMEM;
		}
		p->is_wal = 1;
		sqlite3_file *db = sqlite3_database_file_object(name);
		if (db && db->pMethods == &tb_methods) {
			p->db = (tb_file *)db;
			p->db->wal = p;
		}
	}
	return rc;
}

// textbank_walvfs_register registers the VFS once (sqlite_walvfs.go calls
// it under a sync.Once); 0 on success.
int textbank_walvfs_register(void) {
	tb_parent = sqlite3_vfs_find(0);
	if (!tb_parent) {
		return SQLITE_ERROR;
	}
	if (tb_parent->iVersion < 3) {
		return SQLITE_ERROR; // the copy below reads a version 3 structure
	}
	memcpy(&tb_vfs, tb_parent, sizeof tb_vfs);
	tb_vfs.iVersion = 3; // what this file declares, whatever a later default offers
	tb_vfs.pNext = 0;
	tb_vfs.zName = "textbank";
	tb_vfs.szOsFile = (int)sizeof(tb_file) + tb_parent->szOsFile;
	tb_vfs.xOpen = tb_open;
	return sqlite3_vfs_register(&tb_vfs, 0);
}
