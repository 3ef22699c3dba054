package postgres

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/textbank/textbank/backend/server/store"
)

// tokenChannel carries the hash of every token row changed or deleted
// (migration 0009's trigger, whoever changed it); an empty one for all of
// them.
const tokenChannel = "textbank_tokens"

// guessChannel carries what servers announce to each other's throttles:
// failed guesses (wrong passwords, join codes), accounts made, and batches
// of pushes, so that each throttles what the others counted.
const guessChannel = "textbank_guesses"

// AnnounceGuess tells every server listening (this one too) of a failed
// guess (or what else the throttles share); payload is the server's own
// encoding, at most a few hundred bytes for a guess and about 5 KB for a
// batch of pushes (NOTIFY takes up to 8,000).
func (s *Store) AnnounceGuess(ctx context.Context, payload string) error {
	if _, err := s.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, guessChannel, payload); err != nil {
		return fmt.Errorf("announce a failed guess: %w", err)
	}
	return nil
}

// listenCheck: a listener that heard nothing for this long pings its
// connection, so that one which died quietly (a half-open TCP connection
// after a network fault, which reads would wait on for minutes) ends the
// listening within about twice this, and with it the server's token cache.
var listenCheck = 5 * time.Second // a var for tests only

// listenPing bounds that ping. Apart from listenCheck, which tests shorten
// to see several quiet checks: a ping on a loaded machine can take longer
// than their 50 ms, and a live connection would read as dead.
const listenPing = 5 * time.Second

// ListenFeed tells l of each user whose feed grew, each token changed or
// deleted (a sign-out; an empty hash for every token), each failed
// guess announced and each campaign whose Admin section changed, whichever server (or organizer command) committed it,
// until ctx ends or the connection fails (then it returns the error; the
// caller reconnects). l.Ready is called once listening has begun: nothing
// committed after it is missed.
func (s *Store) ListenFeed(ctx context.Context, l store.Listeners) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("listen for feed changes: %w", err)
	}
	// The connection leaves the pool: LISTEN belongs to its session.
	pc := conn.Hijack()
	defer pc.Close(context.WithoutCancel(ctx))
	for _, ch := range []string{feedChannel, tokenChannel, guessChannel, adminChannel, rolesChannel} {
		if _, err := pc.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return fmt.Errorf("listen for %s: %w", ch, err)
		}
	}
	if l.Ready != nil {
		l.Ready()
	}
	for {
		wait, cancel := context.WithTimeout(ctx, listenCheck)
		n, err := pc.WaitForNotification(wait)
		cancel()
		if n != nil {
			var heard func(string)
			switch n.Channel {
			case tokenChannel:
				heard = l.Gone
			case guessChannel:
				heard = l.Guessed
			case adminChannel:
				heard = l.Admin
			case rolesChannel:
				heard = l.Roles
			default:
				heard = l.Poke
			}
			if heard != nil {
				heard(n.Payload)
			}
		}
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return nil
		}
		if pgconn.Timeout(err) {
			// Quiet for listenCheck (pgx keeps the connection usable).
			check, cancel := context.WithTimeout(ctx, listenPing)
			err = pc.Ping(check)
			cancel()
			if err == nil {
				s.quietChecks.Add(1)
				continue
			}
			if ctx.Err() != nil {
				return nil
			}
		}
		return fmt.Errorf("wait for feed changes: %w", err)
	}
}

// RunExclusive runs fn unless another server (any Store on this database)
// is running the job named name: a session advisory lock held for fn's
// duration, released when fn returns or this server's connection dies.
// ran is false, and fn not run, when another server holds the lock.
func (s *Store) RunExclusive(ctx context.Context, name string, fn func(ctx context.Context) error) (ran bool, err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("lock %s: %w", name, err)
	}
	defer conn.Release()
	h := fnv.New32a()
	h.Write([]byte(name))
	key := exclusiveNS + int64(h.Sum32())
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
		return false, fmt.Errorf("lock %s: %w", name, err)
	}
	if !got {
		return false, nil
	}
	defer func() {
		if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key); err != nil {
			// A session lock the pool would hand on: drop the connection.
			conn.Conn().Close(context.WithoutCancel(ctx))
		}
	}()
	return true, fn(ctx)
}
