// Package sync is the desktop app's sync engine: it pulls the server's
// changes into the cache page by page, pushes the outbox in order, holds
// the live event stream, and backs off while the server is unreachable.
// Being offline is a normal state here, reported through OnStatus, never a
// crash.
package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	gosync "sync"
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
	Pending    int    `json:"pending"`    // mutations waiting in the outbox
	LastError  string `json:"lastError"`  // "" when the last round went well; for the log
	// Unauthorized: the server no longer accepts the session's token.
	Unauthorized bool `json:"unauthorized"`
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

// ChangeSummary tells the app what a round changed in the cache.
type ChangeSummary struct {
	// NewInbound lists inbound messages the cache had never seen (empty on
	// the very first pull, which brings history, not news).
	NewInbound []cache.NewInbound
	// Reassigned lists threads handed to the user (empty on the first pull).
	Reassigned []cache.NewReassigned
	Rejected   []Rejection
	// Threads are the threads whose content or inbox state may have
	// changed; Campaigns, Actions and Queue say those lists changed; All
	// means too much changed to list (the first pull, a deleted message).
	Threads   []string
	Campaigns bool
	Actions   bool
	Queue     bool
	All       bool
}

// maxListedThreads bounds ChangeSummary.Threads: past it, All is cheaper for
// the window than updating threads one by one.
const maxListedThreads = 200

// add notes what one sync page changed.
func (s *ChangeSummary) add(changes []api.Change) {
	seen := make(map[string]bool, len(s.Threads))
	for _, id := range s.Threads {
		seen[id] = true
	}
	thread := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			s.Threads = append(s.Threads, id)
		}
	}
	for _, ch := range changes {
		switch ch.Kind {
		case api.KindCampaign:
			s.Campaigns, s.All = true, s.All || ch.Deleted
		case api.KindAction:
			s.Actions = true
		case api.KindAssignment:
			s.Queue = true
		case api.KindThread:
			thread(ch.ID)
		case api.KindMessage, api.KindReport:
			var ref struct {
				ThreadID string `json:"threadId"`
			}
			if ch.Deleted || json.Unmarshal(ch.Data, &ref) != nil || ref.ThreadID == "" {
				s.All = true
				continue
			}
			thread(ref.ThreadID)
		case api.KindSettings:
			// Automatic Archive changed (here or on another desktop): the
			// window shows the setting, and pending reports may move threads.
			s.All = true
		default:
			s.All = true
		}
	}
	if len(s.Threads) > maxListedThreads {
		s.All = true
	}
}

// empty: nothing for the window to hear about.
func (s ChangeSummary) empty() bool {
	return len(s.NewInbound) == 0 && len(s.Reassigned) == 0 && len(s.Rejected) == 0 && len(s.Threads) == 0 &&
		!s.Campaigns && !s.Actions && !s.Queue && !s.All
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
	// PollInterval is how often to pull without a live event; 30s if zero.
	PollInterval time.Duration
	// BackoffMin and BackoffMax bound the wait after a failure; 1s and 60s
	// if zero.
	BackoffMin, BackoffMax time.Duration
	// PageLimit is the sync page size asked for; 0 lets the server choose.
	PageLimit int
	// OpenThread is the thread on screen ("" for none), if the app shows
	// one: a reply to it is marked read in the transaction that brings it.
	// It must not block.
	OpenThread func() string
}

// Engine runs sync for one signed-in session.
type Engine struct {
	cfg    Config
	log    zerolog.Logger
	kick   chan struct{}
	pullCh chan struct{}

	pullMu gosync.Mutex // one pull at a time, so the cursor never goes back
	pushMu gosync.Mutex // one push at a time, so a mutation is not sent twice at once

	// pubMu orders publications, so the window never hears an older
	// status after a newer one.
	pubMu      gosync.Mutex
	statusMu   gosync.Mutex
	status     Status
	statusSent bool
	lastErr    error // of the last round or stream failure, nil when healthy
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
	if cfg.OnChange == nil {
		cfg.OnChange = func(ChangeSummary) {}
	}
	if cfg.OnStatus == nil {
		cfg.OnStatus = func(Status) {}
	}
	return &Engine{
		cfg:    cfg,
		log:    cfg.Log.With().Str("component", "sync").Logger(),
		kick:   make(chan struct{}, 1),
		pullCh: make(chan struct{}, 1),
		status: Status{Connection: Connecting},
	}
}

// Kick asks for an immediate round (push, then pull). It never blocks; kicks
// that arrive during a round coalesce into one more round.
func (e *Engine) Kick() { signal(e.kick) }

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
	return e.status
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
	defer wg.Wait()

	failures := 0
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-e.kick:
		case <-e.pullCh:
		case <-timer.C:
		}
		err := e.round(ctx)
		if ctx.Err() != nil {
			return
		}
		wait := e.cfg.PollInterval
		if err != nil {
			failures++
			wait = e.backoff(failures)
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
	if err == nil {
		err = e.pull(ctx)
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

func (e *Engine) pull(ctx context.Context) error {
	e.pullMu.Lock()
	defer e.pullMu.Unlock()
	cursor, err := e.cfg.Cache.Cursor(ctx)
	if err != nil {
		return err
	}
	first := cursor == 0
	var sum ChangeSummary
	applied, readOpen := 0, false
	for {
		resp, err := e.cfg.API.Sync(ctx, cursor, e.cfg.PageLimit)
		if err != nil {
			return fmt.Errorf("pull after version %d: %w", cursor, err)
		}
		open := ""
		if e.cfg.OpenThread != nil && !first {
			open = e.cfg.OpenThread()
		}
		res, err := e.cfg.Cache.ApplyPageReading(ctx, resp, open, time.Now())
		if err != nil {
			return err
		}
		applied += res.Applied
		readOpen = readOpen || res.ReadOpen
		sum.NewInbound = append(sum.NewInbound, res.NewInbound...)
		sum.Reassigned = append(sum.Reassigned, res.Reassigned...)
		sum.add(resp.Changes)
		if resp.More && resp.Cursor <= cursor {
			return fmt.Errorf("pull after version %d: server said there is more but did not move the cursor", cursor)
		}
		cursor = resp.Cursor
		if !resp.More {
			break
		}
	}
	if first {
		sum.NewInbound, sum.Reassigned, sum.All = nil, nil, true
	}
	if applied > 0 && !sum.empty() {
		e.cfg.OnChange(sum)
	}
	if readOpen {
		e.Kick() // the read of the open thread goes out in the next round
	}
	return nil
}

// push sends the outbox in order, pushBatch at a time. A network failure
// leaves every mutation where it is (the server applies each id at most
// once, so resending after an unknown outcome is safe).
func (e *Engine) push(ctx context.Context) error {
	e.pushMu.Lock()
	defer e.pushMu.Unlock()
	for {
		muts, err := e.cfg.Cache.PendingMutations(ctx, pushBatch)
		if err != nil {
			return err
		}
		if len(muts) == 0 {
			return nil
		}
		ids := make([]string, len(muts))
		for i, m := range muts {
			ids[i] = m.ID
		}
		resp, err := e.cfg.API.PushMutations(ctx, muts)
		if err != nil {
			if ctx.Err() == nil {
				if aerr := e.cfg.Cache.MarkAttempt(ctx, ids, err.Error()); aerr != nil {
					e.log.Error().Err(aerr).Msg("record push attempt")
				}
			}
			return fmt.Errorf("push %d mutations: %w", len(muts), err)
		}
		var applied []string
		var rejected []Rejection
		for _, r := range resp.Results {
			switch r.Status {
			case api.ResultApplied:
				applied = append(applied, r.ID)
			case api.ResultRejected:
				if err := e.cfg.Cache.MarkRejected(ctx, r.ID, r.Code, r.Reason); err != nil {
					return err
				}
				rejected = append(rejected, Rejection{ID: r.ID, Code: r.Code, Reason: r.Reason, Body: r.Body})
			}
		}
		if err := e.cfg.Cache.MarkApplied(ctx, applied); err != nil {
			return err
		}
		if len(rejected) > 0 {
			e.describe(ctx, rejected)
			for _, r := range rejected {
				e.log.Warn().Str("mutation", r.ID).Str("type", r.Type).Str("code", r.Code).Str("reason", r.Reason).Msg("server refused a mutation")
			}
			sum := ChangeSummary{Rejected: rejected}
			for _, r := range rejected {
				if r.ThreadID != "" {
					sum.Threads = append(sum.Threads, r.ThreadID)
				}
				if r.Type == api.MutSendInitial {
					sum.Queue = true // a contact may be back in the queue
				}
			}
			e.cfg.OnChange(sum)
		}
		if len(applied)+len(rejected) == 0 {
			return fmt.Errorf("push %d mutations: the server answered none of them", len(muts))
		}
	}
}

// describe fills in what each rejection was about from the outbox.
func (e *Engine) describe(ctx context.Context, rs []Rejection) {
	rows, err := e.cfg.Cache.Outbox(ctx)
	if err != nil {
		return
	}
	byID := map[string]cache.OutboxRow{}
	for _, r := range rows {
		byID[r.Mutation.ID] = r
	}
	for i := range rs {
		if row, ok := byID[rs[i].ID]; ok {
			rs[i].Type, rs[i].ContactName, rs[i].ContactPhone, rs[i].Mutation = row.Mutation.Type, row.ContactName, row.ContactPhone, row.Mutation
			rs[i].ThreadID = row.Mutation.ThreadID
			if rs[i].ThreadID == "" {
				rs[i].ThreadID = row.Mutation.ContactID
			}
			if rs[i].Reason == "" {
				rs[i].Reason = row.Reason
			}
		}
	}
}

// stream holds the live event stream, reconnecting with backoff, and asks
// for a pull on (re)connect and whenever the server is past the cursor.
func (e *Engine) stream(ctx context.Context) {
	failures := 0
	for ctx.Err() == nil {
		opened := false
		err := e.cfg.API.Stream(ctx,
			func() {
				opened = true
				signal(e.pullCh) // catch up on whatever happened while disconnected
			},
			func(ev api.Event) {
				cursor, err := e.cfg.Cache.Cursor(ctx)
				if err != nil || ev.Version > cursor {
					signal(e.pullCh)
				}
			})
		if ctx.Err() != nil {
			return
		}
		if opened {
			failures = 0
		}
		failures++
		wait := e.backoff(failures)
		e.log.Debug().Err(err).Dur("retry_in", wait).Msg("event stream ended")
		// The stream is the line to the server: when it drops (the server
		// went away, the network died) the app is offline now, not at the
		// next failed round. Reconnecting and the pull it triggers bring it
		// back online.
		if err == nil {
			err = errStreamEnded
		}
		if unreachable(err) || errors.Is(err, errStreamEnded) {
			e.setOffline(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// backoff is exponential from BackoffMin, capped at BackoffMax, with jitter
// in [d/2, d] so many apps that lost the same server do not return at once.
func (e *Engine) backoff(failures int) time.Duration {
	d := e.cfg.BackoffMin
	for i := 1; i < failures && d < e.cfg.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, e.cfg.BackoffMax)
	half := d / 2
	return half + rand.N(half+1)
}

// errStreamEnded: the server closed the event stream (it is shutting down).
var errStreamEnded = errors.New("the campaign server closed the event stream")

// report publishes the status after a round or pull.
func (e *Engine) report(err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	st := Status{Online: true, Connection: Online}
	if err != nil {
		st.LastError = err.Error()
		st.Unauthorized = unauthorized(err)
		if unreachable(err) {
			st.Online, st.Connection = false, Offline
		}
	}
	e.publish(st, err)
}

// setOffline reports the server unreachable at once (the stream dropped).
func (e *Engine) setOffline(err error) {
	e.publish(Status{Connection: Offline, LastError: err.Error()}, err)
}

// RefreshPending republishes the status with the outbox's current count:
// the app calls it after queueing a change, so the window's pending count
// moves at once.
func (e *Engine) RefreshPending() {
	e.statusMu.Lock()
	st, err := e.status, e.lastErr
	e.statusMu.Unlock()
	e.publish(st, err)
}

func (e *Engine) publish(st Status, err error) {
	e.pubMu.Lock()
	defer e.pubMu.Unlock()
	pending, perr := e.cfg.Cache.PendingCount(context.Background())
	if perr != nil {
		e.log.Error().Err(perr).Msg("count outbox")
	}
	st.Pending = pending
	e.statusMu.Lock()
	prev := e.status
	changed := !e.statusSent || st != e.status
	e.status, e.statusSent, e.lastErr = st, true, err
	e.statusMu.Unlock()
	if prev.Connection != st.Connection {
		// The technical detail lives here; the window gets plain words.
		e.log.Info().Str("from", prev.Connection).Str("to", st.Connection).AnErr("cause", err).Int("pending", pending).Msg("connection changed")
	}
	if changed {
		e.cfg.OnStatus(st)
	}
}

func unauthorized(err error) bool {
	var ae *api.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusUnauthorized
}

// unreachable: no answer at all, or an answer that says the server is not
// really there (a proxy's 502/503/504).
func unreachable(err error) bool {
	if errors.Is(err, api.ErrUnreachable) {
		return true
	}
	var ae *api.APIError
	return errors.As(err, &ae) && ae.Status >= http.StatusInternalServerError
}
