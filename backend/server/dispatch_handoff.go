package server

import (
	"context"
	"sync"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// A text's own write transaction can claim it for the dispatcher. A claim
// is otherwise a write transaction of its own on the one writer every
// send waits for (the queue read, the status moved to sending, a feed row
// for the owner): when a worker slot is free, the send inserts its text
// already sending and hands it to the workers once its transaction has
// committed. Crash semantics are those of a claim: the text is committed
// sending before the provider is called, so a crash between the commit
// and the call leaves it for the next start (takeLeftSending), which
// looks it up at the provider before sending it. Texts that find no free
// slot are queued and claimed as before. While queued texts may wait,
// sends leave room for a claim (the last room slots), so the queue is taken by the dispatcher's
// next claims (maxClaim texts each): not first, as when sends took no slot
// at all then, but never for long; a queued text may go out after a later
// one, which nothing promises otherwise. (Taking none, sends under a
// steady load queued every text: each commit queued texts while the
// claims ran, so no claim ever found the queue empty since the last one,
// and the hand-over never came back.)
type handoff struct {
	mu   sync.Mutex
	cond *sync.Cond // signalled when held falls
	// jobs is the workers' queue while a dispatcher runs, nil otherwise
	// (no slots then: texts are queued).
	jobs chan<- store.Outgoing
	// inflight counts the texts claimed, reserved or handed and not yet
	// recorded; capacity bounds it. While backlog is set, sends leave the
	// last room slots to the claims.
	inflight, capacity, room int
	// held counts slots reserved by sends whose texts are neither handed
	// over nor given back yet: a stopping dispatcher waits for them.
	held int
	// backlog is set while queued texts may be waiting for a claim; gen
	// counts the commits that queued texts (kick), so that only a claim
	// begun after the last of them clears backlog.
	backlog bool
	gen     uint64
	// freed wakes the dispatcher's claim loop when slots come free.
	freed chan struct{}
}

// open starts handing texts to jobs, at most capacity in flight, room of
// them kept for claims while texts may be queued.
func (h *handoff) open(jobs chan<- store.Outgoing, capacity, room int) <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cond == nil {
		h.cond = sync.NewCond(&h.mu)
	}
	h.jobs, h.capacity, h.room, h.inflight, h.backlog = jobs, capacity, room, 0, true
	h.freed = make(chan struct{}, 1)
	return h.freed
}

// close stops the hand-offs and waits until every slot a send reserved is
// settled (handed over, given back, or its text queued again); jobs may
// then be closed.
func (h *handoff) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.jobs = nil
	for h.held > 0 {
		h.cond.Wait()
	}
}

// reserve takes a worker slot for a text about to be inserted sending: true
// if a dispatcher runs and a slot is free, not counting the claims' room
// while queued texts may wait. The slot must then be settled by give or
// release.
func (h *handoff) reserve() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.jobs == nil {
		return false
	}
	limit := h.capacity
	if h.backlog {
		limit -= h.room
	}
	if h.inflight >= limit {
		h.backlog = true // this text goes to the queue
		return false
	}
	h.inflight++
	h.held++
	return true
}

// release gives back n reserved slots whose transaction did not commit,
// or whose committed texts give refused and the caller has queued again.
func (h *handoff) release(n int) {
	if n == 0 {
		return
	}
	h.mu.Lock()
	h.held -= n
	h.cond.Broadcast()
	// With held, under one lock: a close() that returns once held is 0
	// finds these slots free too.
	h.inflight -= n
	freed := h.freed
	h.mu.Unlock()
	wake(freed)
}

// give hands committed sending texts (one reserved slot each) to the
// workers. When the dispatcher has stopped meanwhile it refuses them all:
// the caller queues them again (the provider was never called) and then
// releases their slots.
func (h *handoff) give(outs []store.Outgoing) (refused bool) {
	if len(outs) == 0 {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.jobs == nil {
		return true
	}
	for _, o := range outs {
		// Never blocks: jobs holds capacity texts and at most capacity
		// are in flight.
		h.jobs <- o
	}
	h.held -= len(outs)
	h.cond.Broadcast()
	return false
}

// queued says a commit queued texts: sends leave the claims' room until a
// claim has found the queue empty.
func (h *handoff) queued() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.backlog = true
	h.gen++
}

// claimable is how many queued texts the dispatcher may claim now, at
// most maxClaim (0 when fewer than minClaim slots are free); it counts
// them in flight at once (took gives back what was not found) and returns
// the claim's ticket.
func (h *handoff) claimable(minClaim, maxClaim int) (n int, ticket uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	free := min(h.capacity-h.inflight, maxClaim)
	if free < minClaim {
		return 0, 0
	}
	h.inflight += free
	return free, h.gen
}

// took settles a claim of asked texts that found got. Fewer than asked,
// when the claim read the queue (looked), means the queue was empty: sends
// may take every slot again, unless texts were queued since the claim
// began.
func (h *handoff) took(asked, got int, ticket uint64, looked bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.inflight -= asked - got
	if looked && got < asked && ticket == h.gen {
		h.backlog = false
	}
}

// done frees n slots (texts recorded, or reservations given back) and
// wakes the claim loop.
func (h *handoff) done(n int) {
	h.mu.Lock()
	h.inflight -= n
	freed := h.freed
	h.mu.Unlock()
	wake(freed)
}

// wake pokes the claim loop's freed channel, if any, without waiting.
func wake(freed chan struct{}) {
	if freed != nil {
		select {
		case freed <- struct{}{}:
		default:
		}
	}
}

// newOutbound sets the first status of msg, an outbound text of th that
// tx is about to insert: sending, on a worker slot tx reserved (the text
// goes to the workers once tx commits), or queued for the dispatcher's
// next claim.
func (s *Server) newOutbound(tx store.Tx, msg *store.Message, th store.Thread) *outbound {
	msg.Status = api.StatusQueued
	// Not while tx's lease does not hold (dispatch_lease.go): the text
	// would only wait to be taken over.
	if ft, ok := tx.(*feedTx); ok && s.leaseHeld(tx) {
		o := store.Outgoing{Message: *msg, From: th.SendingNumber, To: th.ContactPhone, OwnerID: th.OwnerID,
			OrganizationID: th.OrganizationID, Lease: leaseEpoch(tx)}
		o.Status = api.StatusSending
		if ft.handOver(&s.hand, o) {
			// In hand before its commit (dispatch_stranded.go).
			s.own.take([]store.Outgoing{o})
			msg.Status = api.StatusSending
			return &outbound{messageID: msg.ID, handed: true}
		}
	}
	return &outbound{messageID: msg.ID}
}

// requeue queues again committed sending texts the stopped dispatcher
// refused (their provider was never called), then gives back their slots.
// Should that fail, they stay sending and the next start looks them up.
func (s *Server) requeue(outs []store.Outgoing) {
	defer s.hand.release(len(outs))
	back := make([]outcome, len(outs))
	for i, o := range outs {
		back[i] = outcome{o: o, status: api.StatusQueued}
	}
	err := s.record(context.Background(), back)
	s.own.drop(outs, false) // stopped: the next start looks up what is left
	if err != nil {
		s.log.Error().Err(err).Int("texts", len(outs)).Msg("dispatcher stopped: texts handed over left sending; the next start looks them up")
	}
}
