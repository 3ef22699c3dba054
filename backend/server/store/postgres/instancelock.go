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
//     leaseWindow. A worker calls the provider for a text only while the
//     lease of the epoch it was claimed in holds, and a call under way is
//     cancelled when that epoch ends (server/dispatch_lease.go): from
//     leaseWindow after a cut, nothing of the old key's texts goes out,
//     well before adoptGrace lets another server look them up.
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
	// seen is when the lock was last seen held; zero once the epoch ended
	// (cut, or the Store closed).
	seen time.Time
	// over is closed when epoch ends.
	over chan struct{}
	// keys are every epoch's key, for Close to give up their texts.
	keys []int64
}

// start begins a new epoch under key, whose lock was just taken.
func (l *lease) start(key int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.key, l.epoch, l.seen, l.over = key, l.epoch+1, time.Now(), make(chan struct{})
	l.keys = append(l.keys, key)
}

// all is every key this Store has held.
func (l *lease) all() []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]int64(nil), l.keys...)
}

// end ends the current epoch (its lock's connection is gone).
func (l *lease) end() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.seen.IsZero() {
		l.seen = time.Time{}
		close(l.over)
	}
}

// held notes that the current epoch's lock was seen held now.
func (l *lease) held() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.seen.IsZero() {
		l.seen = time.Now()
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
// within leaseWindow, and gives a channel closed when that epoch ends (at
// once if it has).
func (s *Store) Lease(epoch uint64) (held bool, over <-chan struct{}) {
	l := &s.lease
	l.mu.Lock()
	defer l.mu.Unlock()
	if epoch == 0 {
		epoch = l.epoch
	}
	if epoch != l.epoch || l.seen.IsZero() {
		return false, closed
	}
	return time.Since(l.seen) < leaseWindow, l.over
}

var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// LeaseEpoch is the epoch of the key this transaction claims texts with.
func (t *tx) LeaseEpoch() uint64 { return t.epoch }

// takeInstanceLock connects and holds a new random key on the new
// connection, which begins a new epoch of the lease.
func (s *Store) takeInstanceLock(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg.Copy())
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
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), lockWait)
		s.closeMu.Lock()
		if s.lockConn != nil {
			if s.lockConn.Ping(ctx) == nil {
				s.lease.held()
			} else {
				s.lease.end()
				s.lockConn.Close(ctx)
				s.lockConn = nil
			}
		}
		if s.lockConn == nil && !s.closed {
			// Until it is back (the database away), the next look tries
			// again.
			s.lockConn, _ = s.takeInstanceLock(ctx, cfg)
		}
		s.closeMu.Unlock()
		cancel()
	}
}

// Close stops the lock's keeper, gives up the texts this Store's keys have
// sending (the server's dispatcher has stopped: nothing of them is in
// flight, and any server may take them over at once), then lets go of the
// lock and the pool.
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
	s.lease.end()
	err := s.releaseSending(context.Background())
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
