package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/textbank/textbank/backend/server/store"
)

// A group's replies routed with one statement. Each reply's route (the
// thread it joins, its number's opt-out, the owner's block and archive,
// whether its provider id is stored) is a read whose answer the reply's
// writes depend on, so each was a round trip in the middle of its group;
// and a group that starts just after a commit runs while the requests
// that commit released take both cores, where every round trip waits
// milliseconds for the writer to be scheduled again (PERFORMANCE-LOG.md,
// "Fourteenth round"). PrefetchRoutes reads every route a group's replies
// will ask for in the group's first round trip, under the write lock;
// RouteInbound then answers from it.
//
// An answer read ahead stays true only until the transaction writes
// something it depends on. Nothing else writes meanwhile (every writer
// holds the write lock), so only this transaction's own writes can stale
// it: a new thread for the same number, a stored provider id, an outbound
// text's provider id, a thread's activity, and anything not known to leave
// routes alone (routeNeutral), which forgets them all. A route not read
// ahead, or forgotten, is read as before.

// ReadsRoutesAhead says this store's write transactions read routes ahead
// (PrefetchRoutes); the server then asks them to.
func (s *Store) ReadsRoutesAhead() {}

// routeAheadSQL is routeInboundSQL for a list of keys: $1 contact phones,
// $2 our numbers, $3 provider ids; k.i numbers the keys from 1.
var routeAheadSQL = `SELECT k.i, ` + routeCols("k.phone", "k.pid") + `
	FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(phone, num, pid, i)
	CROSS JOIN LATERAL (SELECT * FROM threads t WHERE t.contact_phone = k.phone AND t.sending_number = k.num
		AND t.last_outbound_at IS NOT NULL ORDER BY t.last_outbound_at DESC LIMIT 1) th`

// PrefetchRoutes reads the routes of keys ahead (see above). A careful
// run of a group reads each route when asked, as it did: it is the rare
// path, and its errors must be their own fn's.
func (t *tx) PrefetchRoutes(ctx context.Context, keys []store.RouteKey) error {
	if len(keys) == 0 || t.readOnly || !t.deferClaims {
		return nil
	}
	phones, numbers, pids := make([]string, len(keys)), make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		phones[i], numbers[i], pids[i] = k.Phone, k.Number, k.ProviderID
	}
	rows, err := t.q.Query(ctx, routeAheadSQL, phones, numbers, pids)
	if err != nil {
		return fmt.Errorf("route %d inbound texts ahead: %w", len(keys), err)
	}
	defer rows.Close()
	ahead := make(map[store.RouteKey]store.InboundRoute, len(keys))
	for rows.Next() {
		var i int
		var r store.InboundRoute
		th, err := scanThread(store.WrapScanner{ScanRow: rows.Scan, Head: []any{&i}, Tail: []any{&r.OptedOut, &r.Blocked, &r.Archived, &r.Seen}})
		if err != nil {
			return fmt.Errorf("route %d inbound texts ahead: %w", len(keys), err)
		}
		r.Thread = th
		ahead[keys[i-1]] = r
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("route %d inbound texts ahead: %w", len(keys), err)
	}
	t.routes = ahead
	return nil
}

// routeAhead is the route of k read ahead, if it is still known; each is
// answered once (the same key again is a repeated delivery, read afresh).
func (t *tx) routeAhead(k store.RouteKey) (store.InboundRoute, bool) {
	r, ok := t.routes[k]
	if ok {
		delete(t.routes, k)
	}
	return r, ok
}

// forgetRoutes drops the routes read ahead that match: a thread created
// for phone, a provider id stored, a thread's activity (any empty
// argument matches nothing).
func (t *tx) forgetRoutes(phone, providerID, threadID string) {
	for k, r := range t.routes {
		if (phone != "" && k.Phone == phone) || (providerID != "" && k.ProviderID == providerID) ||
			(threadID != "" && r.Thread.ID == threadID) {
			delete(t.routes, k)
		}
	}
}

// forgetProviderIDs drops the routes read ahead whose "stored" answer the
// provider ids of outbound texts written now may change: a reply's id
// given to a text, or a text's id replaced (a later answer's wins), which
// may have been the id a reply was seen by.
func (t *tx) forgetProviderIDs(ids []*string) {
	if len(t.routes) == 0 {
		return
	}
	given := make(map[string]bool, len(ids))
	for _, id := range ids {
		if id != nil {
			given[*id] = true
		}
	}
	if len(given) == 0 {
		return
	}
	for k, r := range t.routes {
		if r.Seen || given[k.ProviderID] {
			delete(t.routes, k)
		}
	}
}

// routeNeutral lists the statements that leave every route as it was (or
// whose writes forget the routes they touch themselves: a thread, a
// message; only those methods send these two).
// Any other write forgets every route read ahead: a new write is safe by
// default.
var routeNeutral = []string{
	"SELECT", // reads (and the write lock, and pg_notify)
	"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT",
	"INSERT INTO feed (", "INSERT INTO mutations (", "INSERT INTO message_media (",
	"UPDATE contacts SET",    // a first text's claim, a hand-out: routes read no contact
	"INSERT INTO threads (",  // CreateThread forgets its phone
	"INSERT INTO messages (", // CreateMessage forgets its provider id
}

// wrote is told of every statement the transaction holds or sends.
func (t *tx) wrote(sql string) {
	if len(t.routes) == 0 {
		return
	}
	// The dispatcher's: statuses, and provider ids of outbound texts
	// (SetMessageStatuses forgets the answers those can change); and a
	// reply's activity, which ThreadActivity forgets for its thread.
	if sql == claimQueuedSQL || sql == setStatusesSQL || sql == setStatusesHeldSQL || sql == inboundActivitySQL {
		return
	}
	// A statement checking its own count is the write it wraps.
	q := unwrapChecked(strings.TrimSpace(sql))
	for _, p := range routeNeutral {
		if strings.HasPrefix(q, p) {
			return
		}
	}
	t.routes = nil
}
