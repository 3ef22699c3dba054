package server

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// update runs fn in a write transaction and, once it has committed, pokes
// the live-event stream of every user fn appended feed rows for.
//
// Concurrent updates are committed together (group commit): the first
// caller to find no batch running runs every update queued meanwhile in one
// transaction, each in its own savepoint, so a failing fn undoes only its
// own writes. SQLite has one writer; sharing BEGIN and COMMIT between
// requests is what lets sends keep up with many volunteers.
//
// It returns once the commit is on the disk (answerDurable): what it
// returns is what the caller answers with.
func (s *Server) update(ctx context.Context, fn func(store.Tx) error) error {
	return s.write(&writeReq{fn: fn})
}

// updateUnanswered is update for the server's own writes, which no one is
// answered on (the dispatcher's claims and records, the feed's
// compaction): it returns at the commit, without waiting for the disk. A
// power cut that undoes one leaves what a crash a moment earlier would
// have: texts sending, looked up at the next start.
func (s *Server) updateUnanswered(ctx context.Context, fn func(store.Tx) error) error {
	return s.write(&writeReq{fn: fn, unanswered: true})
}

// updateReply is update for an inbound text routed by route: its group
// may read its route ahead, with the other replies' (commitGroup).
func (s *Server) updateReply(ctx context.Context, route store.RouteKey, fn func(store.Tx) error) error {
	return s.write(&writeReq{fn: fn, route: &route})
}

func (s *Server) write(req *writeReq) error {
	req.touched, req.admin, req.done = map[string]struct{}{}, map[string]struct{}{}, make(chan error, 1)
	s.wmu.Lock()
	s.wqueue = append(s.wqueue, req)
	lead := !s.writing
	s.writing = true
	s.wmu.Unlock()
	if lead {
		// Writers released by the last commit arrive together; yielding
		// once lets them join this group instead of each paying a commit
		// of its own (without it most inbound groups held one text).
		runtime.Gosched()
		s.runWrites(req)
	}
	return <-req.done
}

// runWrites commits queued updates in groups until own's group has
// committed (own nil: until the queue is empty); a caller leads only until
// its own update is done and hands what is left to a goroutine, so that no
// request waits on other people's writes for long.
func (s *Server) runWrites(own *writeReq) {
	for {
		s.wmu.Lock()
		n := min(len(s.wqueue), maxGroup)
		if n == 0 {
			s.writing = false
			s.wmu.Unlock()
			return
		}
		batch := s.wqueue[:n:n]
		s.wqueue = s.wqueue[n:]
		s.wmu.Unlock()
		s.commitGroup(context.Background(), batch)
		if own != nil && slices.Contains(batch, own) {
			s.wmu.Lock()
			more := len(s.wqueue) > 0
			s.writing = more
			s.wmu.Unlock()
			if more {
				go s.runWrites(nil)
			}
			return
		}
	}
}

// maxGroup bounds one group commit, so that a queue never grows one
// transaction without end.
const maxGroup = 128

type writeReq struct {
	fn      func(store.Tx) error
	touched map[string]struct{}
	// admin: the campaigns whose Admin section fn changed.
	admin map[string]struct{}
	// roles: the users whose memberships or admin rights fn may have
	// changed (Tx.RolesChanged); nil until one did, so that a send, which
	// changes none, allocates nothing for it.
	roles map[string]struct{}
	// handed are texts fn inserted sending on worker slots it reserved
	// (handOver): given to the workers if fn's writes commit, the slots
	// given back otherwise.
	handed []store.Outgoing
	// route, if set, is the inbound text fn routes (updateReply).
	route *store.RouteKey
	// unanswered: done is given at the commit, not once it is on the
	// disk (updateUnanswered).
	unanswered bool
	done       chan error
}

// routesAhead is a store whose write transactions can read the routes of
// a group's replies in one statement (store/postgres/routes.go), where
// each would otherwise be a round trip in the middle of the group. On
// SQLite a read is a call, not a round trip, and nothing is read ahead.
type routesAhead interface {
	ReadsRoutesAhead()
}

// routeReader is such a store's write transaction.
type routeReader interface {
	PrefetchRoutes(ctx context.Context, keys []store.RouteKey) error
}

func (s *Server) commitGroup(ctx context.Context, batch []*writeReq) {
	fns := make([]func(store.Tx) error, 0, len(batch)+1)
	if keys := s.routesOf(batch); len(keys) > 0 {
		// First, with the write lock: every reply's route in one read. Its
		// error leaves each reply to read its own.
		fns = append(fns, func(tx store.Tx) (err error) {
			defer func() {
				if p := recover(); p != nil {
					s.log.Error().Interface("panic", p).Bytes("stack", debug.Stack()).Msg("reading routes ahead panicked")
					err = fmt.Errorf("internal error: %v", p)
				}
			}()
			if rr, ok := tx.(routeReader); ok {
				return rr.PrefetchRoutes(ctx, keys)
			}
			return nil
		})
	}
	first := len(fns) // batch[i]'s fn is fns[first+i]
	for _, r := range batch {
		fns = append(fns, func(tx store.Tx) (err error) {
			// One request's bug must not take the shared transaction (and
			// every writer after it) down with it.
			defer func() {
				if p := recover(); p != nil {
					s.log.Error().Interface("panic", p).Bytes("stack", debug.Stack()).Msg("update panicked; its writes are undone")
					err = fmt.Errorf("internal error: %v", p)
				}
			}()
			clear(r.touched)
			clear(r.admin)
			clear(r.roles)
			// A group run again (one update failed) runs fn again.
			s.own.drop(r.handed, false)
			s.hand.release(len(r.handed))
			r.handed = r.handed[:0]
			return r.fn(&feedTx{Tx: tx, req: r})
		})
	}
	errs, err := s.store.UpdateEach(ctx, fns)
	if err == nil {
		if first > 0 && errs[0] != nil {
			// Each reply read its own route instead: slower, not wrong.
			s.log.Warn().Err(errs[0]).Int("writes", len(batch)).Msg("routes not read ahead")
		}
		errs = errs[first:]
	}
	synced := make([]*writeReq, 0, len(batch))
	for i, r := range batch {
		if err != nil || errs[i] != nil {
			// The commit failing, its texts may be sending all the same
			// (dispatch_stranded.go); fn failing, its writes were undone.
			s.own.drop(r.handed, err != nil && len(r.handed) > 0)
			s.hand.release(len(r.handed))
			r.handed = nil
		}
		if err != nil {
			r.done <- err
			continue
		}
		if errs[i] == nil {
			for userID := range r.touched {
				if _, ok := r.roles[userID]; ok && !s.hub.heard.Load() {
					// Else the store's announcement tells the streams.
					s.hub.rolesChanged(userID)
				} else {
					s.hub.notify(userID)
				}
			}
			if !s.hub.heard.Load() {
				// Else the store's announcement, which this server hears
				// too, tells the admins: once, not twice.
				for c := range r.admin {
					s.hub.adminChanged(c)
				}
			}
			if s.hand.give(r.handed) {
				// The dispatcher stopped after these texts took their
				// slots; they were never handed to the provider.
				go s.requeue(r.handed)
			}
			if !r.unanswered {
				synced = append(synced, r)
				continue
			}
		}
		r.done <- errs[i]
	}
	s.answerDurable(synced)
}

// routesOf lists the routes of batch's replies when the store reads them
// ahead and more than one fn shares the group (a group of one is its own
// transaction, and its reply reads its route as its first statement).
func (s *Server) routesOf(batch []*writeReq) []store.RouteKey {
	if _, ok := s.store.(routesAhead); !ok || len(batch) < 2 {
		return nil
	}
	var keys []store.RouteKey
	for _, r := range batch {
		if r.route != nil {
			keys = append(keys, *r.route)
		}
	}
	return keys
}

// feedTx records whose feed a transaction wrote to, the campaigns whose
// Admin section it changed and the texts it handed over.
type feedTx struct {
	store.Tx
	req *writeReq
}

// handOver reserves a worker slot for a text tx is about to insert: true
// (the caller inserts it sending, as o) if one was free; the text goes to
// the workers once tx has committed.
func (f *feedTx) handOver(h *handoff, o store.Outgoing) bool {
	if !h.reserve() {
		return false
	}
	f.req.handed = append(f.req.handed, o)
	return true
}

func (f *feedTx) AppendFeed(ctx context.Context, userID, kind, entityID string, at time.Time) (int64, error) {
	f.req.touched[userID] = struct{}{}
	return f.Tx.AppendFeed(ctx, userID, kind, entityID, at)
}

func (f *feedTx) AppendFeeds(ctx context.Context, at time.Time, rows ...store.FeedRow) error {
	for _, r := range rows {
		f.req.touched[r.UserID] = struct{}{}
	}
	return f.Tx.AppendFeeds(ctx, at, rows...)
}

// RefeedContacts records the holders, as AppendFeeds records its rows' users.
func (f *feedTx) RefeedContacts(ctx context.Context, actionID string, at time.Time) ([]string, error) {
	holders, err := f.Tx.RefeedContacts(ctx, actionID, at)
	for _, u := range holders {
		f.req.touched[u] = struct{}{}
	}
	return holders, err
}

func (f *feedTx) AdminChanged(campaignID string) {
	f.req.admin[campaignID] = struct{}{}
	f.Tx.AdminChanged(campaignID)
}

func (f *feedTx) RolesChanged(userID string) {
	if f.req.roles == nil {
		f.req.roles = map[string]struct{}{}
	}
	f.req.roles[userID] = struct{}{}
	f.Tx.RolesChanged(userID)
}

// ClaimQueued records the claimed texts' owners when the claim's answer
// comes (at once, or with the group's commit: before commitGroup pokes).
func (f *feedTx) ClaimQueued(ctx context.Context, limit int, feedKind string, at time.Time, got func([]store.Outgoing)) error {
	return f.Tx.ClaimQueued(ctx, limit, feedKind, at, func(list []store.Outgoing) {
		for _, o := range list {
			f.req.touched[o.OwnerID] = struct{}{}
		}
		got(list)
	})
}

// feed appends one row per (kind, id) pair for userID, in one statement.
func feed(ctx context.Context, tx store.SendPathTx, at time.Time, userID string, kindIDs ...string) error {
	if len(kindIDs)%2 != 0 {
		return fmt.Errorf("feed: odd kind/id list %v", kindIDs)
	}
	rows := make([]store.FeedRow, 0, len(kindIDs)/2)
	for i := 0; i < len(kindIDs); i += 2 {
		rows = append(rows, store.FeedRow{UserID: userID, Kind: kindIDs[i], EntityID: kindIDs[i+1]})
	}
	return feedRows(ctx, tx, at, rows...)
}

// feedRows appends rows, of any users, in order (AppendFeeds): an opt-out
// of many numbers feeds every owner at once.
func feedRows(ctx context.Context, tx store.SendPathTx, at time.Time, rows ...store.FeedRow) error {
	for _, r := range rows {
		if r.Kind == api.KindCampaign {
			// A membership or role given or taken away comes with its
			// campaign's row: the user's streams read their admin
			// campaigns again (handleEvents).
			tx.RolesChanged(r.UserID)
		}
	}
	return tx.AppendFeeds(ctx, at, rows...)
}
