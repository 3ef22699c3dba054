package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// The instance lock. A text this server claims carries its key, and
// another server takes such a text over only once the key's session lock
// has been free for adoptGrace (adopt.go), as it is when this server's
// connection is gone (it died). The lock lives on a connection of its own.
// When the database cuts that connection (a restart, a fail-over, an
// administrator) while this server runs, the other servers would see the
// key free and take over texts this server's workers are sending. So the
// connection is watched, and a lease says what this server may still do:
//
//   - Each key is one epoch of the lease. A cut ends the epoch at once; the
//     keeper then takes a new random key, never the old one, so a key once
//     seen free stays free, and "free at two looks adoptGrace apart" means
//     free all along.
//   - The lease of an epoch holds while its lock was seen held within
//     leaseWindow, by the monotonic clock and by the wall clock both (the
//     monotonic clock stands still while the machine is suspended). A
//     worker starts a provider call for a text only while the lease of
//     the epoch it was claimed in holds (server/dispatch_lease.go), so
//     every call for the old key's texts has begun by leaseWindow after a
//     cut and ended by leaseWindow plus the longest call: adoptGrace is
//     longer. (Calls under way are also cancelled when the epoch ends;
//     the grace covers a server that cannot notice, a paused process.)
//   - Texts claimed in an epoch that ended are left sending under its key;
//     they are adopted (this server's own look included) after the grace,
//     each looked up at the provider first.

// lockCheck spaces the looks at the lock's connection; each waits for its
// answer at most lockWait (a busy machine's look is late, not wrong: a cut
// connection answers at once with an error). leaseWindow is how old the
// last look that found the lock held may be for the lease to hold.
const (
	lockCheck   = time.Second
	lockWait    = 2 * lockCheck
	leaseWindow = 4 * lockCheck
)

// lease is this Store's claim key and what is known of its lock.
type lease struct {
	mu    sync.Mutex
	key   int64
	epoch uint64
	// seen is when the lock was last seen held (as a look began), with
	// the monotonic reading (Round(0) gives the wall clock's); zero once
	// the epoch ended (cut, or the Store closed).
	seen time.Time
	// over is cancelled (finish) when epoch ends.
	over   context.Context
	finish context.CancelFunc
	// keys are every epoch's key, epoch 1's first.
	keys []int64
}

// start begins a new epoch under key, whose lock was just taken.
func (l *lease) start(key int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.key, l.epoch, l.seen = key, l.epoch+1, time.Now()
	l.over, l.finish = context.WithCancel(context.Background())
	l.keys = append(l.keys, key)
}

// keyOf is the key of epoch, if there was one.
func (l *lease) keyOf(epoch uint64) (int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if epoch == 0 || epoch > uint64(len(l.keys)) {
		return 0, false
	}
	return l.keys[epoch-1], true
}

// all lists every epoch's key, the current one's included.
func (l *lease) all() []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]int64(nil), l.keys...)
}

// ended lists the keys of the epochs that have ended.
func (l *lease) ended() []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.keys)
	if !l.seen.IsZero() {
		n-- // the current epoch's holds
	}
	return append([]int64(nil), l.keys[:max(n, 0)]...)
}

// end ends the current epoch (its lock's connection is gone); it says
// whether the epoch still held until then.
func (l *lease) end() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen.IsZero() {
		return false
	}
	l.seen = time.Time{}
	l.finish()
	return true
}

// held notes that the current epoch's lock was seen held by a look begun
// at asked.
func (l *lease) held(asked time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.seen.IsZero() {
		l.seen = asked
	}
}

// current is the key a transaction begun now claims texts with, and its
// epoch. Between a cut and the next key it is the ended epoch's: texts
// claimed then are left to the adoption, never sent under a free key.
func (l *lease) current() (int64, uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.key, l.epoch
}

// Lease says whether this server may call the provider now for a text
// claimed in epoch (0: the current one), held while its lock was seen held
// within leaseWindow, and gives a context cancelled when that epoch ends (at
// once if it has).
func (s *Store) Lease(epoch uint64) (held bool, over context.Context) {
	l := &s.lease
	l.mu.Lock()
	defer l.mu.Unlock()
	if epoch == 0 {
		epoch = l.epoch
	}
	if epoch != l.epoch || l.seen.IsZero() {
		return false, overEpoch
	}
	now := time.Now()
	return now.Sub(l.seen) < leaseWindow && now.Round(0).Sub(l.seen.Round(0)) < leaseWindow, l.over
}

// overEpoch is the context of an epoch that is over.
var overEpoch = func() context.Context { c, cancel := context.WithCancel(context.Background()); cancel(); return c }()

// LeaseEpoch is the epoch of the key this transaction claims texts with.
func (t *tx) LeaseEpoch() uint64 { return t.epoch }

// instanceLockApp is the application_name of every instance lock's
// connection, whatever the URL says.
const instanceLockApp = "textbankd instance lock"

// takeInstanceLock connects and holds a new random key on the new
// connection, which begins a new epoch of the lease.
func (s *Store) takeInstanceLock(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	cfg = cfg.Copy()
	// migrate counts running servers by this name (liveServersSQL), so
	// that another application's advisory lock is not taken for one.
	cfg.RuntimeParams["application_name"] = instanceLockApp
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect for the instance lock: %w", err)
	}
	// Instance keys are random below 2^62; the Store's own locks are
	// negative (writeLock, exclusiveNS).
	key := rand.Int64N(1 << 62)
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil || !got {
		conn.Close(ctx)
		if err == nil {
			err = fmt.Errorf("key %d is held by another session", key)
		}
		return nil, fmt.Errorf("take instance lock: %w", err)
	}
	s.lease.start(key)
	return conn, nil
}

// keepInstanceLock looks at the lock's connection every lockCheck until
// done is closed: found cut, the epoch ends and a new key is taken.
func (s *Store) keepInstanceLock(cfg *pgx.ConnConfig, done <-chan struct{}) {
	t := time.NewTicker(lockCheck)
	defer t.Stop()
	stale := false // sessions may still hold an ended epoch's key
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), lockWait)
		s.closeMu.Lock()
		if s.lockConn != nil {
			asked := time.Now()
			if s.lockConn.Ping(ctx) == nil {
				s.lease.held(asked)
			} else {
				s.lease.end()
				s.lockConn.Close(ctx)
				s.lockConn = nil
			}
		}
		if s.lockConn == nil && !s.closed {
			// Until it is back (the database away), the next look tries
			// again.
			if s.lockConn, _ = s.takeInstanceLock(ctx, cfg); s.lockConn != nil {
				stale = true
			}
		}
		s.closeMu.Unlock()
		cancel()
		if stale {
			// Outside closeMu, on the pool, with a wait of its own: the
			// lock's new connection is not put at risk by a slow answer.
			stale = s.endSessions()
		}
	}
}

// endSessions ends the sessions that may still hold an ended epoch's key:
// a look whose answer was late (a network cut, not the database's) left
// its session, and the lock, alive at the database until TCP gives up on
// it (hours), and the key's texts, which this server no longer sends,
// could not be taken over meanwhile. A role may end its own sessions;
// failing that (no right to), the texts wait for the session to go. It
// says whether to look again (the query failed, or ended such a session),
// and is called every lockCheck until it need not.
func (s *Store) endSessions() bool {
	keys := s.lease.ended()
	if len(keys) == 0 {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	var found int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE pg_terminate_backend(l.pid)) FROM pg_locks l, unnest($1::bigint[]) AS k
		WHERE l.locktype = 'advisory' AND l.granted AND l.pid <> pg_backend_pid()
		AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND l.classid = (k >> 32)::oid AND l.objid = (k & 4294967295)::oid AND l.objsubid = 1`, keys).Scan(&found)
	return err != nil || found > 0
}

// Close stops the lock's keeper and, if its lease still holds, gives up
// the texts its key has sending (the server's dispatcher has stopped:
// no call of them is in flight, and any server may take them over at
// once, looking them up UnsureWait later, since a call that went
// unanswered may still become a text; an ended epoch's wait out the grace,
// for calls it may have left under way), then lets go of the lock and the
// pool.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	close(s.lockDone)
	s.closeMu.Unlock()
	s.lockKept.Wait()
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	key, _ := s.lease.current()
	var err error
	if s.lease.end() {
		err = s.releaseSending(context.Background(), key)
	}
	if s.lockConn != nil {
		err = errors.Join(err, s.lockConn.Close(context.Background()))
		s.lockConn = nil
	}
	s.pool.Close()
	return err
}

// HoldsInstanceLock says whether this store holds its current key now
// (tests).
func (s *Store) HoldsInstanceLock(ctx context.Context) (bool, error) {
	key, _ := s.lease.current()
	var held bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND classid = ($1::bigint >> 32)::oid AND objid = ($1::bigint & 4294967295)::oid AND objsubid = 1)`, key).Scan(&held)
	return held, err
}
