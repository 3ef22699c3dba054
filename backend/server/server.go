// Package server is the campaign server textbankd runs: HTTP handlers for the
// /api/v1 protocol of backend/api, auth, assignment, inbound routing and the
// live-event hub. Persistence is behind store.Store; texts go out through
// sms.Provider and come back through Receive.
package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// Config holds the server's dependencies.
type Config struct {
	Store    store.Store
	Provider sms.Provider
	// Now is the server's clock (quiet hours, timestamps); time.Now if nil.
	Now func() time.Time
	Log zerolog.Logger
	// Region is the default region for inbound numbers that arrive without a
	// country code; "US" if empty.
	Region string
	// PingInterval spaces the SSE keep-alive comments; 15s if zero.
	PingInterval time.Duration
	// BcryptCost is the password hashing cost; bcrypt.DefaultCost if zero.
	// Tests lower it to stay fast.
	BcryptCost int
	// InactiveAfter is how long a thread may sit without messages before
	// ArchiveInactive archives it; 60 days if zero.
	InactiveAfter time.Duration
	// Workers bounds the provider calls the dispatcher makes at once; 8 if
	// zero.
	Workers int
	// DispatchPoll is how often the dispatcher looks for queued texts when
	// nothing woke it (a backstop: commits wake it at once); 5s if zero.
	DispatchPoll time.Duration
	// RetryBase is the first wait before retrying a busy or silent
	// provider; it doubles each time. 1s if zero.
	RetryBase time.Duration
	// Version is what GET /healthz reports (textbankd's build version);
	// "dev" if empty.
	Version string
}

// Server is the campaign server. It is safe for concurrent use.
type Server struct {
	store    store.Store
	provider sms.Provider
	now      func() time.Time
	log      zerolog.Logger
	region   string
	ping     time.Duration
	cost     int
	inactive time.Duration
	version  string
	hub      *hub
	// The dispatcher: wake is poked after a commit queued texts.
	workers   int
	poll      time.Duration
	retryBase time.Duration
	wake      chan struct{}
	// hand lets a send give its text straight to a free worker
	// (dispatch_handoff.go).
	hand handoff
	// dummyHash is compared against when a login names an unknown email, so
	// that a wrong email costs as long as a wrong password.
	dummyHash []byte
	// logins throttles repeated failed logins per account and address.
	logins *loginLimiter

	closeOnce sync.Once
	done      chan struct{}

	// Group commit: updates waiting, and whether a caller is running them.
	wmu     sync.Mutex
	wqueue  []*writeReq
	writing bool
	// pools shares counts of an action's pool between batch hand-outs.
	pools poolCounts

	// ourNumbers caches how the To of inbound texts normalizes.
	ourNumbers numberCache
	// known holds what first texts' checks read and need not read again
	// (send_known.go).
	known knownFacts
	// tokens caches who tokens belong to; on a database other servers
	// share, only while the feed listener hears their sign-outs
	// (tokencache.go).
	tokens *tokenCache
}

var _ sms.Receiver = (*Server)(nil)

// New builds a Server; Store and Provider are required.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: Config.Store is required")
	}
	if cfg.Provider == nil {
		return nil, errors.New("server: Config.Provider is required")
	}
	s := &Server{
		store:    cfg.Store,
		provider: cfg.Provider,
		now:      cfg.Now,
		log:      cfg.Log,
		region:   cfg.Region,
		ping:     cfg.PingInterval,
		cost:     cfg.BcryptCost,
		inactive: cfg.InactiveAfter,
		version:  cfg.Version,
		hub:      newHub(),
		logins:   newLoginLimiter(),
		done:     make(chan struct{}),

		workers:   cfg.Workers,
		poll:      cfg.DispatchPoll,
		retryBase: cfg.RetryBase,
		wake:      make(chan struct{}, 1),
	}
	_, shared := cfg.Store.(feedListener)
	s.tokens = newTokenCache(shared)
	if s.version == "" {
		s.version = "dev"
	}
	if s.workers <= 0 {
		s.workers = 8
	}
	if s.poll <= 0 {
		s.poll = 5 * time.Second
	}
	if s.retryBase <= 0 {
		s.retryBase = time.Second
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.region == "" {
		s.region = "US"
	}
	if s.ping <= 0 {
		s.ping = 15 * time.Second
	}
	if s.cost == 0 {
		s.cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte("textbank-no-such-user"), s.cost)
	if err != nil {
		return nil, fmt.Errorf("server: prepare password check: %w", err)
	}
	s.dummyHash = hash
	if s.inactive <= 0 {
		s.inactive = 60 * 24 * time.Hour
	}
	return s, nil
}

// Close ends the open event streams, so that http.Server.Shutdown does not
// wait on them. Register it with http.Server.RegisterOnShutdown.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
}

// clock is the server's "now" in UTC, truncated to microseconds so that
// times survive a JSON round trip on every client unchanged.
func (s *Server) clock() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// update runs fn in a write transaction and, once it has committed, pokes
// the live-event stream of every user fn appended feed rows for.
//
// Concurrent updates are committed together (group commit): the first
// caller to find no batch running runs every update queued meanwhile in one
// transaction, each in its own savepoint, so a failing fn undoes only its
// own writes. SQLite has one writer; sharing BEGIN and COMMIT between
// requests is what lets sends keep up with many volunteers.
func (s *Server) update(ctx context.Context, fn func(store.Tx) error) error {
	req := &writeReq{fn: fn, touched: map[string]struct{}{}, done: make(chan error, 1)}
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
	// handed are texts fn inserted sending on worker slots it reserved
	// (handOver): given to the workers if fn's writes commit, the slots
	// given back otherwise.
	handed []store.Outgoing
	done   chan error
}

func (s *Server) commitGroup(ctx context.Context, batch []*writeReq) {
	fns := make([]func(store.Tx) error, len(batch))
	for i, r := range batch {
		fns[i] = func(tx store.Tx) (err error) {
			// One request's bug must not take the shared transaction (and
			// every writer after it) down with it.
			defer func() {
				if p := recover(); p != nil {
					s.log.Error().Interface("panic", p).Bytes("stack", debug.Stack()).Msg("update panicked; its writes are undone")
					err = fmt.Errorf("internal error: %v", p)
				}
			}()
			clear(r.touched)
			// A group run again (one update failed) runs fn again.
			s.hand.release(len(r.handed))
			r.handed = r.handed[:0]
			return r.fn(&feedTx{Tx: tx, req: r})
		}
	}
	errs, err := s.store.UpdateEach(ctx, fns)
	for i, r := range batch {
		if err != nil || errs[i] != nil {
			s.hand.release(len(r.handed))
			r.handed = nil
		}
		if err != nil {
			r.done <- err
			continue
		}
		if errs[i] == nil {
			for userID := range r.touched {
				s.hub.notify(userID)
			}
			if s.hand.give(r.handed) {
				// The dispatcher stopped after these texts took their
				// slots; they were never handed to the provider.
				go s.requeue(r.handed)
			}
		}
		r.done <- errs[i]
	}
}

// feedTx records whose feed a transaction wrote to and the texts it
// handed over.
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

// feed appends one row per (kind, id) pair for userID, in one statement.
func feed(ctx context.Context, tx store.SendPathTx, at time.Time, userID string, kindIDs ...string) error {
	if len(kindIDs)%2 != 0 {
		return fmt.Errorf("feed: odd kind/id list %v", kindIDs)
	}
	rows := make([]store.FeedRow, 0, len(kindIDs)/2)
	for i := 0; i < len(kindIDs); i += 2 {
		rows = append(rows, store.FeedRow{UserID: userID, Kind: kindIDs[i], EntityID: kindIDs[i+1]})
	}
	return tx.AppendFeeds(ctx, at, rows...)
}

// Handler is the HTTP API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	routes := []struct {
		method, path string
		h            http.HandlerFunc
	}{
		{"POST", "/api/v1/signup", s.handleSignup},
		{"POST", "/api/v1/login", s.handleLogin},
		{"POST", "/api/v1/logout", s.authed(s.handleLogout)},
		{"GET", "/api/v1/me", s.authed(s.handleMe)},
		{"GET", "/api/v1/campaigns", s.authed(s.handleSearch)},
		{"POST", "/api/v1/campaigns/join", s.authed(s.handleJoin)},
		{"POST", "/api/v1/actions/{id}/batches", s.authed(s.handleBatch)},
		{"POST", "/api/v1/actions/{id}/release", s.authed(s.handleRelease)},
		{"GET", "/api/v1/sync", s.authed(s.handleSync)},
		{"POST", "/api/v1/mutations", s.authed(s.handleMutations)},
		{"GET", "/api/v1/events", s.authed(s.handleEvents)},
		{"GET", "/api/v1/actions/{id}/reassign-targets", s.authed(s.handleReassignTargets)},
		{"GET", "/api/v1/campaigns/{id}/admin", s.authed(s.handleAdminOverview)},
		{"GET", "/healthz", s.handleHealth},
	}
	for _, rt := range routes {
		mux.HandleFunc(rt.method+" "+rt.path, rt.h)
		method := rt.method
		// The same path without a method answers 405 in our JSON shape.
		mux.HandleFunc(rt.path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", method)
			writeError(w, &httpError{status: http.StatusMethodNotAllowed, body: apiErr("method_not_allowed", "",
				"%s %s is not supported; use %s", r.Method, r.URL.Path, method)})
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &httpError{status: http.StatusNotFound, body: apiErr("not_found", "",
			"no such endpoint: %s %s", r.Method, r.URL.Path)})
	})
	return s.logRequests(mux)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error().Err(err).Msg("health check: store does not answer")
		writeError(w, &httpError{status: http.StatusServiceUnavailable, body: apiErr("unavailable", "",
			"the database does not answer")})
		return
	}
	writeJSON(w, http.StatusOK, api.Health{OK: true, Version: s.version})
}
