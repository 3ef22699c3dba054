package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The instance lock. A text this server claims carries its key, and
// another server takes such a text over only once the key's session lock
// is free, as it is when this server's connection is gone (it died). The
// lock lives on a connection of its own; when the database cuts that
// connection (a restart, a fail-over, an administrator) while this server
// runs, the key would stay free, and the other servers would take over,
// and send again, texts this server's workers are sending. So the
// connection is watched and, once cut, made again with the same key held.

// lockCheck spaces the looks at the lock's connection. A cut is noticed
// within it; the servers' looks for a dead server's texts come every 5 s
// (server.adoptEvery), and each text is looked up at the provider first.
const lockCheck = time.Second

// takeInstanceLock connects and holds the key on the new connection.
func (s *Store) takeInstanceLock(ctx context.Context, cfg *pgx.ConnConfig) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg.Copy())
	if err != nil {
		return nil, fmt.Errorf("connect for the instance lock: %w", err)
	}
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, s.key).Scan(&got); err != nil || !got {
		conn.Close(ctx)
		if err == nil {
			err = fmt.Errorf("key %d is held by another session", s.key)
		}
		return nil, fmt.Errorf("take instance lock: %w", err)
	}
	return conn, nil
}

// keepInstanceLock takes the lock again whenever its connection is found
// cut, until done is closed.
func (s *Store) keepInstanceLock(cfg *pgx.ConnConfig, done <-chan struct{}) {
	t := time.NewTicker(lockCheck)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), lockCheck)
		s.closeMu.Lock()
		if s.lockConn != nil && s.lockConn.Ping(ctx) != nil {
			s.lockConn.Close(ctx)
			s.lockConn = nil
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

// Close stops the lock's keeper, then lets go of the lock and the pool.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if !s.closed {
		s.closed = true
		close(s.lockDone)
	}
	s.closeMu.Unlock()
	s.lockKept.Wait()
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	var err error
	if s.lockConn != nil {
		err = s.lockConn.Close(context.Background())
		s.lockConn = nil
	}
	s.pool.Close()
	return err
}

// HoldsInstanceLock says whether this store holds its key now (tests).
func (s *Store) HoldsInstanceLock(ctx context.Context) (bool, error) {
	var held bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND classid = ($1::bigint >> 32)::oid AND objid = ($1::bigint & 4294967295)::oid AND objsubid = 1)`, s.key).Scan(&held)
	return held, err
}
