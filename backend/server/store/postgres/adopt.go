package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// Taking over the texts of servers that are gone. A text sending carries
// its claimer's key (instancelock.go); a server takes it over only once
// that key's lock has been free, at every look, for adoptGrace: a key
// once free is never held again, and its server, should it still run, has
// begun no call for the key's texts since leaseWindow after the cut, and
// the calls begun have ended. A text with no key was given up by a server that
// stopped cleanly (Close) and is taken at once.

// adoptGrace is how long a key must have been seen free before its texts
// are taken over: past leaseWindow (the last call begun under the key)
// plus the longest provider call (the server's providerWait, 30 s; the
// Twilio client gives up after 15 s), so that a lookup finds every text
// the key's server got to the provider. A grace set shorter than
// SafeAdoptGrace trusts the provider to answer faster; one shorter than
// MinAdoptGrace is never safe (textbankd serve --adopt-grace refuses it).
const (
	adoptGrace     = 40 * time.Second
	SafeAdoptGrace = leaseWindow + 30*time.Second
	MinAdoptGrace  = leaseWindow + lockCheck
)

// adoption is what this Store's looks have seen of free keys.
type adoption struct {
	mu    sync.Mutex
	grace time.Duration
	// freeSince holds the keys of sending texts seen free, from when.
	freeSince map[int64]time.Time
}

// SetAdoptGrace changes adoptGrace for this Store (tests that cannot wait
// for it).
func (s *Store) SetAdoptGrace(d time.Duration) {
	s.adopt.mu.Lock()
	s.adopt.grace = d
	s.adopt.mu.Unlock()
}

// ripe records keys as free now and returns those free for the grace. Keys
// not in free are forgotten: their texts are all taken or settled.
func (a *adoption) ripe(free []int64, now time.Time) []int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	seen := make(map[int64]time.Time, len(free))
	var out []int64
	for _, k := range free {
		since, ok := a.freeSince[k]
		if !ok {
			since = now
		}
		seen[k] = since
		if now.Sub(since) >= a.grace {
			out = append(out, k)
		}
	}
	a.freeSince = seen
	return out
}

// keyFree is true of a key (k) whose session lock no session of this
// database holds.
const keyFree = `NOT EXISTS (
	SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted
	AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
	AND l.classid = (k >> 32)::oid AND l.objid = (k & 4294967295)::oid AND l.objsubid = 1)`

// freeKeysSQL lists the keys of sending texts, other than this server's
// (?1), that no session holds: the locks are read once a key, not once a
// text.
const freeKeysSQL = `SELECT k FROM (SELECT DISTINCT m.claimed_by AS k FROM messages m
	WHERE m.status = 'sending' AND m.claimed_by <> ?) d WHERE ` + keyFree

// adoptSQL takes over, for this server (?4), texts given up (no key), the
// texts of the keys in ?1 still free, and those of own (?2: this server's
// key when it starts, to list its own, as the conformance suite asks of
// every engine; -1 when running). Two servers adopting at once cannot both
// take a text (the row lock, then the re-checked claimer, stop the
// second).
const adoptSQL = `WITH free AS (SELECT k FROM unnest(?::bigint[]) AS k WHERE ` + keyFree + `),
	gone AS (
		SELECT m.id, m.claimed_by IS NULL AS given_up FROM messages m
		WHERE m.status = 'sending' AND (m.claimed_by IS NULL OR m.claimed_by = ?
			OR m.claimed_by IN (SELECT k FROM free))
		ORDER BY m.created_at, m.id LIMIT ? FOR UPDATE OF m SKIP LOCKED),
	adopted AS (UPDATE messages m SET claimed_by = ? FROM gone WHERE m.id = gone.id
		RETURNING m.id, m.thread_id, m.body, m.status, m.created_at, m.sender_id, gone.given_up)
	SELECT a.id, a.thread_id, a.body, a.status, a.created_at, a.sender_id,
	th.sending_number, th.contact_phone, th.owner_id, th.organization_id, a.given_up
	FROM adopted a JOIN threads th ON th.id = a.thread_id ORDER BY a.created_at, a.id`

// adopt takes over up to limit texts: given up ones, own's, and those of
// keys free for the grace.
func (t *tx) adopt(ctx context.Context, own int64, limit int) ([]store.Outgoing, error) {
	rows, err := t.query(ctx, freeKeysSQL, t.key)
	if err != nil {
		return nil, fmt.Errorf("sending texts of servers gone: %w", err)
	}
	var free []int64
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sending texts of servers gone: %w", err)
		}
		free = append(free, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sending texts of servers gone: %w", err)
	}
	ripe := t.s.adopt.ripe(free, time.Now())
	rows, err = t.query(ctx, adoptSQL, ripe, own, limit, t.key)
	if err != nil {
		return nil, fmt.Errorf("adopt sending texts: %w", err)
	}
	return t.scanOutgoing(rows, "sending", true, true)
}

// AdoptOrphaned takes over, for this running server, up to limit texts that
// servers which died (SIGKILL, a lost machine, a cut connection) or stopped
// left sending: the dispatcher asks now and then, so that a campaign whose
// second server is gone for good does not leave its texts in limbo. Texts
// of live servers, this one's current key's included, are not touched.
// Needs an Update (it claims rows).
func (t *tx) AdoptOrphaned(ctx context.Context, limit int) ([]store.Outgoing, error) {
	if t.readOnly {
		return nil, errors.New("adopt orphaned texts: a read-only transaction cannot claim them")
	}
	return t.adopt(ctx, -1, limit)
}

// releaseSending gives up the texts key has sending; Close calls it once
// the server has stopped sending.
func (s *Store) releaseSending(ctx context.Context, key int64) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := s.pool.Exec(ctx, `UPDATE messages SET claimed_by = NULL
		WHERE status = 'sending' AND claimed_by = $1`, key); err != nil {
		return fmt.Errorf("give up texts left sending: %w", err)
	}
	return nil
}
