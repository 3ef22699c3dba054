// Package sync is the desktop app's sync engine: it pulls the server's
// changes into the cache page by page, pushes the outbox in order, holds
// the live event stream, and backs off while the server is unreachable.
// Being offline is a normal state here, reported through OnStatus, never a
// crash.
package sync

import (
	"context"
	"errors"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// pushBatch is how many mutations go in one POST /mutations.
const pushBatch = 50

// Connection states, as the status bar shows them.
const (
	Connecting = "connecting" // started, no answer from the server yet
	Online     = "online"
	Offline    = "offline" // the server is unreachable; changes wait in the outbox
)

// Status is the engine's view of the connection, for the status bar.
type Status struct {
	Online     bool   `json:"online"`
	Connection string `json:"connection"` // Connecting, Online or Offline
	Pending    int    `json:"pending"`    // the volunteer's changes waiting in the outbox (reads left out: cache.WaitingCount)
	LastError  string `json:"lastError"`  // "" when the last round went well; for the log
	// Unauthorized: the server no longer accepts the session's token.
	Unauthorized bool `json:"unauthorized"`
	// Throttled: the server asked for fewer requests (429); what waits
	// stays in the outbox and goes out after its Retry-After.
	Throttled bool `json:"throttled"`
	// Busy: the server answered that it is too busy to take the request
	// (503 server_busy: at its connection cap). Offline all the same: sync
	// asks again with its backoff (at least the Retry-After) and the
	// outbox keeps what waits.
	Busy bool `json:"busy"`
	// Garbled: the last answer could not be read (api.ErrGarbled), most
	// often a Wi-Fi sign-in page answering in the server's place. Online,
	// since something answered; the outbox keeps what waits.
	Garbled bool `json:"garbled"`
	// Stuck: the server keeps failing one of the volunteer's changes, which
	// holds back those after it; the Outbox offers to discard it.
	Stuck bool `json:"stuck"`
}

// Rejection is a mutation the server refused.
type Rejection struct {
	ID           string
	Type         string
	Code         string
	Reason       string
	Body         string // with script_changed: the text the server would send instead
	ContactName  string
	ContactPhone string
	ThreadID     string // the thread (or contact) it concerned, "" for settings
	// Mutation is what was refused, for describing it.
	Mutation api.Mutation
}

// Config holds the engine's dependencies; Cache and API are required.
type Config struct {
	Cache *cache.Cache
	API   *api.Client
	Log   zerolog.Logger
	// OnChange is called after a pull applied anything or the server refused
	// a mutation. It must not block for long.
	OnChange func(ChangeSummary)
	// OnStatus is called when Status changes.
	OnStatus func(Status)
	// OnRound is called after every round and pull with its outcome
	// (nil: the server accepted the session's every request), changed or
	// not: the app keeps when its sign-in was last accepted, and sees
	// its token outlive the server's idle limit while offline for good.
	// It must not block.
	OnRound func(error)
	// OnAdmin, if set, is called with the campaign an admin event named:
	// what its Admin section shows changed on the server.
	OnAdmin func(campaignID string)
	// PollInterval is how often to pull without a live event; 30s if zero.
	PollInterval time.Duration
	// BackoffMin and BackoffMax bound the wait after a failure; 1s and 60s
	// if zero.
	BackoffMin, BackoffMax time.Duration
	// PageLimit is the sync page size asked for; 0 lets the server choose.
	PageLimit int
	// Now is the clock of the outbox's faults (cache.FaultSpan); time.Now
	// if nil.
	Now func() time.Time
	// OpenThread is the thread on screen ("" for none), if the app shows
	// one: a reply to it is marked read in the transaction that brings it.
	// It must not block.
	OpenThread func() string
	// Durable puts the cache's commits on the disk before a push (push.go);
	// Cache.Durable if nil.
	Durable func() error
}

// Engine runs sync for one signed-in session.
type Engine struct {
	cfg    Config
	log    zerolog.Logger
	kick   chan struct{}
	pullCh chan struct{}
	// syncNow asks for the cache's sync at once, and busy counts the
	// pushes and pulls under way: a change kicked meanwhile waits for
	// them before its push syncs it (push.go, syncBehind).
	syncNow chan struct{}
	busy    atomic.Int32

	pullMu gosync.Mutex // one pull at a time, so the cursor never goes back
	pushMu gosync.Mutex // one push at a time, so a mutation is not sent twice at once

	// applyMu orders applying a pulled page against a push's answer, and
	// pushed counts the pushes the server applied something of. A page
	// asked for before a push was applied on the server, but landing after
	// the push left the outbox, would show the server's state from before
	// it for a moment (an archived thread back in the inbox, a setting
	// flipped back), so pull asks again for such a page.
	applyMu gosync.Mutex
	pushed  int64

	// pubMu orders publications, so the window never hears an older
	// status after a newer one.
	pubMu      gosync.Mutex
	statusMu   gosync.Mutex
	status     Status // as the last round (or the stream dropping) left it
	statusSent bool
	lastErr    error // of the last round or stream failure, nil when healthy
	// streamThrottle is the stream's 429, nil once the stream is back (or
	// failed otherwise). It is kept apart from status: a round going well
	// while the stream still waits out its Retry-After must not clear it,
	// since live replies are not arriving meanwhile.
	streamThrottle error

	contacts contactFill // under pullMu (contacts.go)
}

// New builds an engine; call Run to start it.
func New(cfg Config) *Engine {
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 30 * time.Second
	}
	if cfg.BackoffMin <= 0 {
		cfg.BackoffMin = time.Second
	}
	if cfg.BackoffMax <= 0 {
		cfg.BackoffMax = time.Minute
	}
	if cfg.BackoffMax < cfg.BackoffMin {
		cfg.BackoffMax = cfg.BackoffMin
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.OnChange == nil {
		cfg.OnChange = func(ChangeSummary) {}
	}
	if cfg.OnRound == nil {
		cfg.OnRound = func(error) {}
	}
	if cfg.OnStatus == nil {
		cfg.OnStatus = func(Status) {}
	}
	if cfg.Durable == nil {
		cfg.Durable = cfg.Cache.Durable
	}
	return &Engine{
		cfg:     cfg,
		log:     cfg.Log.With().Str("component", "sync").Logger(),
		kick:    make(chan struct{}, 1),
		pullCh:  make(chan struct{}, 1),
		syncNow: make(chan struct{}, 1),
		status:  Status{Connection: Connecting},
	}
}

// Kick asks for an immediate round (push, then pull). It never blocks; kicks
// that arrive during a round coalesce into one more round.
func (e *Engine) Kick() {
	signal(e.kick)
	if e.busy.Load() > 0 {
		signal(e.syncNow)
	}
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Status is the latest status.
func (e *Engine) Status() Status {
	e.statusMu.Lock()
	defer e.statusMu.Unlock()
	return e.shownLocked()
}

// shownLocked is the status the window sees: the rounds' view, throttled
// too while the event stream waits out a 429 (unless the server is
// unreachable, which says more). statusMu is held.
func (e *Engine) shownLocked() Status {
	st := e.status
	if e.streamThrottle != nil && !st.Throttled && st.Connection != Offline {
		st.Throttled = true
		if st.LastError == "" {
			st.LastError = e.streamThrottle.Error()
		}
	}
	return st
}

// Run syncs until ctx is done: a round at start, on Kick, on a live event
// past the cursor, on the poll timer, and after a failure once the backoff
// has passed.
func (e *Engine) Run(ctx context.Context) {
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		e.stream(ctx)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		e.syncBehind(ctx)
	}()
	defer wg.Wait()

	failures := 0
	timer := time.NewTimer(0)
	defer timer.Stop()
	// notBefore: a server that said how long to wait (a 429's Retry-After)
	// is not asked sooner, by the timer, a kick or a live event alike:
	// asking again at once would only be refused again.
	var notBefore time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-e.kick:
		case <-e.pullCh:
		case <-timer.C:
		}
		if rest := time.Until(notBefore); rest > 0 {
			timer.Reset(rest) // the round runs when the wait is over
			continue
		}
		err := e.round(ctx)
		if ctx.Err() != nil {
			return
		}
		wait := e.cfg.PollInterval
		if err != nil {
			failures++
			asked := retryAfter(err)
			wait = max(e.backoff(failures), asked)
			notBefore = time.Now().Add(asked)
			e.log.Info().Err(err).Dur("retry_in", wait).Msg("sync round failed")
		} else {
			failures = 0
		}
		timer.Reset(wait)
	}
}

// round pushes what is waiting, then pulls; if the push got anything
// applied the pull brings the server's version of it.
func (e *Engine) round(ctx context.Context) error {
	err := e.push(ctx)
	switch {
	case err == nil:
		err = e.pull(ctx)
	case serverFault(err):
		// The server took the push and failed it: a fault of its own,
		// perhaps one a queued change trips every time. The changes stay
		// queued and go again with the next round; the replies must not
		// wait on them, for as long as the fault lasts. A pull applies
		// pages under the pending changes as it does while offline. The
		// round still reports the push's failure.
		// A change the server fails alone while it answers the pull is
		// the change's fault, not an outage's: only then is it counted
		// towards letting the volunteer discard it (cache.MarkFault).
		perr := e.pull(ctx)
		var fault *changeFault
		switch {
		case perr != nil:
			e.log.Info().Err(perr).Msg("pull after a failed push")
		case errors.As(err, &fault):
			if e.countFault(ctx, fault) {
				err = &stuckError{err}
			}
		}
	}
	e.report(err)
	return err
}

// PullNow pulls every page now, for a caller that needs fresh data before it
// answers (Text Again).
func (e *Engine) PullNow(ctx context.Context) error {
	err := e.pull(ctx)
	e.report(err)
	return err
}

// PushNow sends the outbox now, for a caller whose request depends on the
// server having seen it (Text Again: the server hands back contacts it
// thinks are still waiting, and a first text only in the outbox is not sent
// as far as it knows).
func (e *Engine) PushNow(ctx context.Context) error {
	err := e.push(ctx)
	if err != nil {
		e.report(err)
	}
	return err
}
