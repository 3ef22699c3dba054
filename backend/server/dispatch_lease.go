package server

import (
	"context"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// leaser is a store several servers share (PostgreSQL): its texts are
// claimed under a lease that ends when the database cuts the connection
// holding this server's lock, after which other servers may take them
// over (store/postgres/instancelock.go). The provider is called for a
// text only while the lease it was claimed under holds, and a call under
// way is cancelled when it ends: a text claimed in an ended lease is left
// sending, for the server that takes it over (this one too) to look up
// before sending. Its answers are recorded under the lease too
// (store.MessageStatus.Lease). A store of one server (SQLite) has no
// lease.
type leaser interface {
	// Lease says whether the lease of epoch (0: the current one) holds
	// now, and gives a context cancelled once it has ended.
	Lease(epoch uint64) (held bool, over context.Context)
}

// leaseWait spaces the looks of a worker waiting for its lease to be seen
// held again (its lock's keeper late) or to end.
const leaseWait = 50 * time.Millisecond

// mayCall says whether the provider may be called for o now: once its
// lease holds (waiting while it is neither held nor ended, until stop
// ends), with a context cancelled when that lease ends (nil: none). False:
// its lease ended, or stop did first; the text is to be left sending.
func (s *Server) mayCall(stop context.Context, o store.Outgoing) (bool, context.Context) {
	if s.leases == nil || o.Lease == 0 {
		return true, nil
	}
	for {
		held, over := s.leases.Lease(o.Lease)
		if held {
			return true, over
		}
		select {
		case <-over.Done():
			return false, nil
		case <-stop.Done():
			return false, nil
		case <-time.After(leaseWait):
		}
	}
}

// leaseHeld says whether texts claimed now would be claimed under a lease
// that holds: the claim loop, the hand-over and the adoption claim nothing
// while it does not (the texts stay queued, or left, until it is back).
func (s *Server) leaseHeld(tx store.Tx) bool {
	if s.leases == nil {
		return true
	}
	held, _ := s.leases.Lease(leaseEpoch(tx))
	return held
}

// leaseEpoch is the epoch of the lease tx claims texts under (0: the
// current one, for no transaction or a store without leases).
func leaseEpoch(tx store.Tx) uint64 {
	if f, ok := tx.(*feedTx); ok {
		tx = f.Tx
	}
	if e, ok := tx.(interface{ LeaseEpoch() uint64 }); ok {
		return e.LeaseEpoch()
	}
	return 0
}
