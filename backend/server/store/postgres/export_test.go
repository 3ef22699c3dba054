package postgres

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// CountRoundTrips makes s count the round trips its transactions make
// from now on (set it before any transaction runs).
func CountRoundTrips(s *Store) *atomic.Int64 {
	n := new(atomic.Int64)
	s.sent = func([]string) { n.Add(1) }
	return n
}

// Statements records the statements s's transactions send from now on, in
// the order sent (set it before any transaction runs).
type Statements struct {
	mu   sync.Mutex
	sqls []string
}

func RecordStatements(s *Store) *Statements {
	r := &Statements{}
	s.sent = func(sqls []string) {
		r.mu.Lock()
		r.sqls = append(r.sqls, sqls...)
		r.mu.Unlock()
	}
	return r
}

// Count says how many statements sent were exactly sql.
func (r *Statements) Count(sql string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, s := range r.sqls {
		if s == sql {
			n++
		}
	}
	return n
}

// ClaimQueuedSQL is the dispatcher's claim statement, for its plan test.
const ClaimQueuedSQL = claimQueuedSQL

// SetListenCheck shortens how long a quiet listener waits before it pings
// its connection; the returned func puts it back.
func SetListenCheck(d time.Duration) func() {
	old := listenCheck
	listenCheck = d
	return func() { listenCheck = old }
}

// QuietChecks counts the pings s's quiet listeners made that found their
// connection alive.
func QuietChecks(s *Store) int64 { return s.quietChecks.Load() }

// ClaimInitialHeldSQL is a first text's claim as a group holds it, for its
// plan test.
var ClaimInitialHeldSQL = claimInitialHeldSQL

// ClaimInitialSQL is the same claim answered (a careful rerun, a lone
// Update).
const ClaimInitialSQL = claimInitialSQL

// HoldAssign holds an assignment of ids to userID as AssignContacts does
// after its pick, for the refusal test (ids it did not pick).
func HoldAssign(stx store.Tx, userID string, ids []string, at time.Time) {
	t := stx.(*tx)
	what := fmt.Sprintf("assign %d contacts", len(ids))
	t.q.holdRefusable(what, assignSQL, refusedAs(codeTooFew, fmt.Errorf("%s: %w", what, store.ErrNotFound)),
		userID, store.TimeText(at), ids, len(ids))
}

// OptInsSQL is the Admin section's opt-ins listing, numbered ($1, $2).
var OptInsSQL = rebind(store.OptInsSQL(store.MarkOpen))

// StartsSQL is StartsOf's statement as this engine runs it.
var StartsSQL = rebind(store.StartsSQL(`= ` + anyIDs))

// The Admin section's reads of unroutable texts and of reported threads'
// last replies, numbered ($1, ...).
var (
	LastInboundByThreadsSQL = rebind(lastInboundByThreadsSQL)
	OpenUnroutableSQL       = rebind(store.UnroutableForCampaignSQL(store.MarkOpen))
	CountHandledSQL         = rebind(store.UnroutableMarks.CountSQL(store.MarkDone))
)

// Epoch is s's current lease epoch: it grows when s takes its instance
// lock again after a cut.
func Epoch(s *Store) uint64 {
	_, e := s.lease.current()
	return e
}

// The hand-out's statements, numbered ($1, ...), for their plan test.
var (
	PickContactsSQL = rebind(pickContactsSQL)
	ReadmitSQL      = readmitSQL
	FirstWaitingSQL = firstWaitingSQL
	WaitSQL         = waitSQL
)

// OptedOutThreadsSQL is the Admin section's page of opt-outs, for its plan test.
const OptedOutThreadsSQL = optedOutThreadsSQL
