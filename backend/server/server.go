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
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/phone"
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
	// PingInterval spaces the SSE keep-alive comments; api.StreamPing (15s,
	// which the app's stream timeout counts on) if zero.
	PingInterval time.Duration
	// BcryptCost is the password hashing cost; bcrypt.DefaultCost if zero.
	// Tests lower it to stay fast.
	BcryptCost int
	// InactiveAfter is how long a thread may sit without messages before
	// ArchiveInactive archives it; inbox.InactiveAfter if zero.
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
	// UnsureWait is how long a text whose provider call went unanswered
	// waits before it is looked up: a create the provider finishes after
	// the call gave up must be found then, not sent again. 30s if zero.
	UnsureWait time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client the throttles count (ParseTrustedProxies); none if empty.
	TrustedProxies []netip.Prefix
	// SignupsPerHour is how many accounts one client address may create
	// within an hour (signuplimit.go); DefaultSignupsPerHour if zero.
	SignupsPerHour int
	// MaxConnsPerAddress caps the connections one client address holds
	// open at once, a trusted proxy's excepted; MaxConns caps them all
	// (connlimit.go). DefaultMaxConnsPerAddress and DefaultMaxConns if
	// zero. Run applies them to its listener.
	MaxConnsPerAddress int
	MaxConns           int
	// WebhookReserve is how many connections past MaxConns the provider's
	// webhooks may still take (connreserve.go); DefaultWebhookReserve if
	// zero.
	WebhookReserve int
	// Version is what GET /healthz reports (textbankd's build version);
	// "dev" if empty.
	Version string
	// Simulated says Provider is the simulated network (serve --provider
	// sim), which GET /healthz reports.
	Simulated bool
}

// refusalBurst is how many throttled or busy answers a minute the log
// tells of; the rest of that minute's are counted by nobody but the client.
const refusalBurst = 20

// Server is the campaign server. It is safe for concurrent use.
type Server struct {
	store    store.Store
	provider sms.Provider
	now      func() time.Time
	log      zerolog.Logger
	region   string
	ping     time.Duration
	// streamWrite bounds each write to an event stream (streamWriteWait;
	// tests shorten it).
	streamWrite time.Duration
	cost        int
	inactive    time.Duration
	version     string
	// simulated is Config.Simulated.
	simulated bool
	hub       *hub
	// The dispatcher: wake is poked after a commit queued texts.
	workers    int
	poll       time.Duration
	retryBase  time.Duration
	unsureWait time.Duration
	wake       chan struct{}
	// hand lets a send give its text straight to a free worker
	// (dispatch_handoff.go).
	hand handoff
	// own is the texts the dispatcher has in hand (dispatch_stranded.go).
	own ownTexts
	// words is the provider calls under way and the answers not yet
	// recorded, for lookups of texts with the same words (dispatch_words.go).
	words sameWords
	// elsewhereWaits counts a lookup's turns waiting on another server's
	// text with the same words (quietWords): tests wait on it.
	elsewhereWaits atomic.Int64
	// compactedTo is the newest feed seq the last CompactFeed pass read
	// (only users with rows after it are compacted again); compactMu keeps
	// passes one at a time.
	compactMu   sync.Mutex
	compactedTo int64
	// leases is the store's, on a store several servers share
	// (dispatch_lease.go); nil otherwise.
	leases leaser
	// dummyHash is compared against when a login names an unknown email, so
	// that a wrong email costs as long as a wrong password.
	dummyHash []byte
	// logins throttles password guesses per account and address; codes,
	// join code guesses per user and address (guesslimit.go).
	logins *guessLimiter
	codes  *guessLimiter
	// accounts counts the accounts each address created (signuplimit.go).
	accounts *guessLimiter
	// id names this server in the failed guesses (and pushes) it
	// announces (guessshare.go); "" when it announces none.
	id string
	// sharer carries those announcements; nil when the store is not
	// shared (SQLite).
	sharer guessSharer
	// refusals logs throttled and busy answers, at most refusalBurst a
	// minute: a flood of guesses must not become a flood of log lines.
	refusals zerolog.Logger
	// hashes bounds the password hashes run at once (hashgate.go).
	hashes *hashGate
	// proxies are Config.TrustedProxies (clientaddr.go); proxyWarn says
	// once that a proxy not among them forwards requests.
	proxies   []netip.Prefix
	proxyWarn sync.Once
	// conns counts the connections open, per address and in all
	// (connlimit.go).
	conns *connLimiter

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
	// watching is set once WatchFeed hears of other processes' writes:
	// it has read where the database stands, or its listener listens
	// (feedwatch.go; tests wait for it instead of sleeping).
	watching atomic.Bool
	// tokenIdle: a token unused this long has expired (the constant
	// tokenIdle; tests shorten it).
	tokenIdle time.Duration
	// tokenLifetime: a token this old has ended however much it is used
	// (the constant tokenLifetime; tests shorten it).
	tokenLifetime time.Duration
	// pushes limits each user's pushes of mutations (pushlimit.go).
	pushes *pushLimiter
	// syncPageBytes, if set, replaces api.SyncPageBytes (tests).
	syncPageBytes atomic.Int64
	// syncs counts each user's pulls and admin reads in flight
	// (synclimit.go).
	syncs syncGate
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
		store:     cfg.Store,
		provider:  cfg.Provider,
		now:       cfg.Now,
		log:       cfg.Log,
		region:    cfg.Region,
		ping:      cfg.PingInterval,
		cost:      cfg.BcryptCost,
		inactive:  cfg.InactiveAfter,
		version:   cfg.Version,
		simulated: cfg.Simulated,
		hub:       newHub(maxStreamsPerUser),
		logins:    newGuessLimiter(),
		codes:     newGuessLimiter(),
		accounts:  newSignupLimiter(cfg.SignupsPerHour),
		proxies:   cfg.TrustedProxies,
		hashes:    newHashGate(),
		done:      make(chan struct{}),

		workers:    cfg.Workers,
		poll:       cfg.DispatchPoll,
		retryBase:  cfg.RetryBase,
		unsureWait: cfg.UnsureWait,
		wake:       make(chan struct{}, 1),
	}
	s.conns = newConnLimiter(cfg.MaxConnsPerAddress, cfg.MaxConns, cfg.WebhookReserve, cfg.TrustedProxies, s.log)
	s.refusals = s.log.Sample(&zerolog.BurstSampler{Burst: refusalBurst, Period: time.Minute})
	s.leases, _ = cfg.Store.(leaser)
	_, shared := cfg.Store.(feedListener)
	s.tokens = newTokenCache(shared)
	s.pushes = newPushLimiter(pushRate, pushBurst)
	if sh, ok := cfg.Store.(guessSharer); ok && shared {
		s.shareGuesses(sh)
	}
	s.tokenIdle, s.tokenLifetime = tokenIdle, tokenLifetime
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
	if s.unsureWait <= 0 {
		s.unsureWait = providerWait
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.region == "" {
		s.region = phone.DefaultRegion
	}
	if s.ping <= 0 {
		s.ping = api.StreamPing
	}
	s.streamWrite = streamWriteWait
	if s.cost == 0 {
		s.cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte("textbank-no-such-user"), s.cost)
	if err != nil {
		return nil, fmt.Errorf("server: prepare password check: %w", err)
	}
	s.dummyHash = hash
	if s.inactive <= 0 {
		s.inactive = inbox.InactiveAfter
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

// route is one endpoint of the HTTP API.
type route struct {
	method, path string
	h            http.HandlerFunc
}

// routes are the HTTP API's endpoints (their paths api's).
func (s *Server) routes() []route {
	routes := []route{
		{"POST", api.PathSignup, s.handleSignup},
		{"POST", api.PathLogin, s.handleLogin},
		{"POST", api.PathLogout, s.authed(s.handleLogout)},
		{"GET", api.PathMe, s.authed(s.handleMe)},
		{"PATCH", api.PathMe, s.authed(s.handleRename)},
		{"POST", api.PathPassword, s.authed(s.handlePasswordChange)},
		{"GET", api.PathCampaigns, s.authed(s.handleSearch)},
		{"POST", api.PathJoin, s.authed(s.handleJoin)},
		{"POST", api.PathBatches, s.authed(s.handleBatch)},
		{"POST", api.PathRelease, s.authed(s.handleRelease)},
		{"GET", api.PathSync, s.authed(s.handleSync)},
		{"POST", api.PathContacts, s.authed(s.handleContacts)},
		{"POST", api.PathMutations, s.authed(s.handleMutations)},
		{"GET", api.PathEvents, s.authed(s.handleEvents)},
		{"GET", api.PathReassignTargets, s.authed(s.handleReassignTargets)},
		{"GET", api.PathAdmin, s.authed(s.adminRead(s.handleAdminOverview))},
		{"GET", api.PathAdminThread, s.authed(s.adminRead(s.handleAdminThread))},
		{"GET", api.PathAdminResults, s.authed(s.adminRead(s.handleAdminResults))},
		{"POST", api.PathOptBackIn, s.authed(s.handleOptBackIn)},
		{"POST", api.PathUndoOptOut, s.authed(s.handleUndoOptOut)},
		{"GET", api.PathAdminOptOuts, s.authed(s.adminRead(s.handleAdminOptOuts))},
		{"GET", api.PathHealth, s.handleHealth},
	}
	return append(routes, s.markRoutes()...)
}

// Handler is the HTTP API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	routes := s.routes()
	methods := map[string][]string{} // path -> its methods, in the routes' order
	var paths []string
	for _, rt := range routes {
		mux.HandleFunc(rt.method+" "+rt.path, refuseNULInURL(rt.path, rt.h))
		if methods[rt.path] == nil {
			paths = append(paths, rt.path)
		}
		methods[rt.path] = append(methods[rt.path], rt.method)
	}
	for _, p := range paths {
		allow := strings.Join(methods[p], ", ")
		use := strings.Join(methods[p], " or ")
		// The same path with another method answers 405 in our JSON shape.
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			writeError(w, &httpError{status: http.StatusMethodNotAllowed, body: apiErr("method_not_allowed", "",
				"%s %s is not supported; use %s", r.Method, r.URL.Path, use)})
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &httpError{status: http.StatusNotFound, body: apiErr("not_found", "",
			"no such endpoint: %s %s", r.Method, r.URL.Path)})
	})
	return s.logRequests(private(mux))
}

// private marks every answer as one no cache may keep (no-store) and one to
// be read only as its Content-Type says (nosniff): each holds what it tells
// one user alone (contacts, conversations, a sign-in's token), and a
// reverse proxy set up to cache, keyed by the URL as they are by default,
// would hand one volunteer's sync to the next who asks for the same URL.
func private(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
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
	writeJSON(w, http.StatusOK, api.Health{OK: true, Version: s.version, Simulated: s.simulated})
}
