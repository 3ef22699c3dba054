package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/sync"
)

// Config holds what the client needs; DataDir and ServerURL are required.
type Config struct {
	DataDir   string // the user's config dir for Textbank: the cache lives here
	ServerURL string
	// Refused, when set, says in the volunteer's words why ServerURL is
	// not connected to (refused.go): the cache and the session stay,
	// nothing goes to the server, and the window shows the sentence.
	Refused string
	Demo    bool // shown in Status; the app decides what demo mode starts
	// DemoJoinCode is the embedded demo campaign's code, shown on the join
	// screen so a newcomer can start; "" outside demo mode.
	DemoJoinCode string
	// DemoSignIns are the demo's accounts, shown on the sign-in screen;
	// nil outside demo mode.
	DemoSignIns []DemoSignIn
	Log         zerolog.Logger
	// HTTPClient talks to the server; nil for one with connect and header
	// timeouts but no overall timeout (the event stream stays open).
	HTTPClient *http.Client
	// Notify receives the events of events.go; nil to drop them. It is
	// called from sync goroutines and must not block for long.
	Notify func(Event)

	// Tokens keeps the session token in the OS keyring; nil keeps it in the
	// cache file.
	Tokens TokenStore

	// Sync tuning; zero values take the engine's defaults.
	PollInterval           time.Duration
	BackoffMin, BackoffMax time.Duration
	PageLimit              int // sync page size asked for; 0 lets the server choose
	// SyncAfter, when set, holds sync back until it is closed: the app
	// closes it once its window is up, past Wails' single-instance check.
	// A second start (a desktop shortcut opened while Textbank sits in the
	// tray) does all of its own start before Wails, there, brings the
	// first to the front and ends it: meanwhile its sync pushed the outbox
	// beside the first's, and a reply it applied was then no longer news
	// to the first, which never told of it. nil syncs at once.
	SyncAfter <-chan struct{}
	// Now is the clock of the outbox's faults (when a change the server
	// keeps failing may be discarded) and of the sign-in's idle end
	// (ended.go); time.Now if nil.
	Now func() time.Time
}

// TokenStore keeps the session token outside the cache: Seal returns what
// the cache stores in its place, Open turns that back into the token.
type TokenStore interface {
	Seal(token string) string
	Open(stored string) (string, error)
	Forget()
}

// callTimeout bounds one user-initiated server call, so a hung server turns
// into a message instead of a spinner that never stops.
const callTimeout = 30 * time.Second

// Client is the volunteer's side of Textbank. Methods are safe for
// concurrent use. Reads are answered from the local cache; writes are
// optimistic and go out through the sync engine.
type Client struct {
	cfg Config
	log zerolog.Logger
	api *api.Client

	// statusUser is the signed-in user the sync status events name (read
	// by the engine's callback, which may not take mu; a rename stores a
	// new one).
	statusUser atomic.Pointer[api.User]
	mu         gosync.Mutex
	cache      *cache.Cache
	lost       error // why the cache could not be opened again (reopen.go)
	// startErr is why Start could not open the cache; each call starts
	// again (reopen.go). unopenedLogged is the cause last logged.
	startErr       error
	unopenedLogged string
	session        *cache.Session
	engine         *sync.Engine
	stop           context.CancelFunc
	done           chan struct{}
	remaining      map[string]int // action id -> unassigned contacts at last Text Again
	// newText holds, by contact id, the text the server would send instead
	// of the one refused as script_changed, until it is sent. Kept in memory:
	// after a restart the queue renders the synced script again, and a
	// difference is refused again with the server's text.
	newText map[string]string
	// openThread is the thread on screen: its replies are read at once. It
	// is read by the sync engine, which must not wait for mu.
	openThread atomic.Pointer[string]
	// tokenRead is open while Start's saved token is being read from the
	// keyring (behind the window: a D-Bus round trip, or a locked keyring's
	// unlock prompt); closed when it is known whether a session resumes.
	// Nil otherwise.
	tokenRead chan struct{}
	// rowsMu holds an inbox:changed event's rows from their read to their
	// sending: a local change and a sync round sending at once could
	// otherwise send older rows after newer ones, and the window, which
	// places rows from the latest event, kept the older.
	rowsMu gosync.Mutex
	// ending runs endSignIn once a sign-in; ended names the sign-in it
	// ended, for the sign-in screen (ended.go).
	ending atomic.Bool
	ended  atomic.Pointer[string]
	// acceptedAt is when the server last accepted the sign-in, as stored
	// in the cache (Unix nanoseconds by the server's clock; 0 signed out):
	// read by the engine's callbacks (ended.go).
	acceptedAt atomic.Int64
	// offset is how far the server's clock is ahead of this computer's, as
	// of its last answer (nanoseconds; serverclock.go).
	offset atomic.Int64
	// storedOffset is the offset last stored with an acceptance.
	storedOffset atomic.Int64
	// notes stores the running engine's acceptances (accepted.go); stopEngine
	// closes it.
	notes *noter
}

// New checks the config and builds a client; Start opens it.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.DataDir) == "" {
		return nil, errors.New("client: DataDir is required")
	}
	cfg.ServerURL = strings.TrimRight(strings.TrimSpace(cfg.ServerURL), "/")
	if !strings.HasPrefix(cfg.ServerURL, "http://") && !strings.HasPrefix(cfg.ServerURL, "https://") {
		return nil, fmt.Errorf("client: server URL %q must start with http:// or https://", cfg.ServerURL)
	}
	switch {
	case cfg.Refused != "":
		cfg.HTTPClient = refusingHTTPClient(cfg.Refused)
	case cfg.HTTPClient == nil:
		cfg.HTTPClient = defaultHTTPClient()
	}
	if cfg.Notify == nil {
		cfg.Notify = func(Event) {}
	}
	cfg.Notify = notifier(cfg.Notify)
	c := &Client{
		cfg:       cfg,
		log:       cfg.Log.With().Str("component", "client").Logger(),
		remaining: map[string]int{},
		newText:   map[string]string{},
	}
	c.api = api.NewClient(cfg.ServerURL, withDates(cfg.HTTPClient, c.noteServerTime))
	return c, nil
}

// Close stops sync and closes the cache.
func (c *Client) Close() {
	// The cache is detached first: a keyring read still under way (Start)
	// then resumes nothing, and no engine starts on a closing cache. A
	// failed opening is forgotten: no call after Close opens it again.
	c.mu.Lock()
	ch := c.cache
	c.cache, c.startErr, c.lost = nil, nil, nil
	c.mu.Unlock()
	c.stopEngine()
	if ch != nil {
		_ = ch.Close()
	}
}

// startEngineLocked starts sync for sess; c.mu is held.
func (c *Client) startEngineLocked(sess cache.Session) {
	c.session = &sess
	c.api.SetToken(sess.Token)
	user := sess.User
	c.statusUser.Store(&user)
	ch := c.cache
	notes := &noter{}
	eng := sync.New(sync.Config{
		Cache:        ch,
		API:          c.api,
		Log:          c.cfg.Log,
		PollInterval: c.cfg.PollInterval,
		BackoffMin:   c.cfg.BackoffMin,
		BackoffMax:   c.cfg.BackoffMax,
		PageLimit:    c.cfg.PageLimit,
		Now:          c.cfg.Now,
		OnChange:     c.onChange,
		OnAdmin: func(campaignID string) {
			c.cfg.Notify(Event{Name: EventAdminChanged, Payload: AdminChange{CampaignID: campaignID}})
		},
		OpenThread: c.OpenThread,
		OnRound:    c.onRound(ch, sess.Token, notes),
		// The callback must not take c.mu: stopEngine waits for the engine
		// while other methods may hold it.
		OnStatus: func(st sync.Status) {
			s := c.baseStatus()
			u := *c.statusUser.Load()
			s.SignedIn, s.User = true, &u
			withSync(&s, st)
			c.cfg.Notify(Event{Name: EventSyncStatus, Payload: s})
			c.onUnauthorized(st, sess.Token) // this engine's sign-in, which a 401 ends
		},
	})
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	after := c.cfg.SyncAfter
	go func() {
		defer close(done)
		if after != nil {
			if syncHeld != nil {
				syncHeld()
			}
			select {
			case <-after:
			case <-runCtx.Done():
				return
			}
		}
		eng.Run(runCtx)
	}()
	c.engine, c.stop, c.done, c.notes = eng, cancel, done, notes
}

// syncHeld, set by a test (SetSyncHeldHook), runs when an engine starts
// to wait for Config.SyncAfter.
var syncHeld func()

// stopEngine stops sync and waits for it, and for a store of when the
// server last accepted the sign-in, without holding c.mu meanwhile: what
// follows (a sign-out's wipe, an ending's swap, Close) may then close the
// cache, which no store reaches after this returns (a push made after it,
// as signing out's last one, stores none).
func (c *Client) stopEngine() {
	c.mu.Lock()
	stop, done, notes := c.stop, c.done, c.notes
	c.engine, c.stop, c.done, c.notes = nil, nil, nil, nil
	c.mu.Unlock()
	if stop != nil {
		stop()
		<-done
		notes.close()
	}
}

// ErrStarting answers a call made before Start opened the cache.
var ErrStarting = userError("Textbank is still starting; try again in a moment")

// state returns the open cache and the session (nil when signed out). A
// start tried again here (reopen.go) may read a saved token: it waits for
// that, as for Start's.
func (c *Client) state() (*cache.Cache, *cache.Session, *sync.Engine, error) {
	for {
		c.awaitToken()
		c.mu.Lock()
		if c.cache == nil {
			if err := c.reopenLocked(); err != nil {
				c.mu.Unlock()
				return nil, nil, nil, err
			}
		}
		if c.tokenRead == nil {
			ch, sess, eng := c.cache, c.session, c.engine
			c.mu.Unlock()
			return ch, sess, eng, nil
		}
		c.mu.Unlock()
	}
}

// signedIn is state for the calls that need an account.
func (c *Client) signedIn() (*cache.Cache, *cache.Session, *sync.Engine, error) {
	ch, sess, eng, err := c.state()
	if err != nil {
		return nil, nil, nil, err
	}
	if sess == nil || eng == nil {
		return nil, nil, nil, userError("sign in first")
	}
	return ch, sess, eng, nil
}

// changed follows a local change: sync pushes it now, the window hears
// what changed and the new pending count.
func (c *Client) changed(eng *sync.Engine, ch InboxChange) {
	if eng != nil {
		eng.Kick()
		eng.RefreshPending()
	}
	c.rowsMu.Lock()
	defer c.rowsMu.Unlock()
	c.cfg.Notify(Event{Name: EventInboxChanged, Payload: c.withRows(ch)})
}

// withRows adds the changed threads' list rows as they are now, with the
// filters each is listed under, and their campaigns' counts, so the window
// puts each in its place in the lists it shows and updates the counts
// without asking again (a thread gone from the cache has no row).
func (c *Client) withRows(change InboxChange) InboxChange {
	if change.All || len(change.ThreadIDs) == 0 || change.Threads != nil {
		return change
	}
	ch, _, _, err := c.state()
	if err != nil {
		return change
	}
	ctx := context.Background()
	rows, err := ch.ThreadRows(ctx, change.ThreadIDs)
	if err != nil {
		c.log.Warn().Err(err).Msg("read the changed threads' rows for the window")
	}
	change.Threads = summaries(rows)
	change.Counts = map[string]Counts{}
	for _, r := range rows {
		if _, done := change.Counts[r.CampaignID]; done {
			continue
		}
		n, err := c.Counts(ctx, r.CampaignID)
		if err != nil {
			c.log.Warn().Err(err).Msg("count the inbox for the window")
			delete(change.Counts, r.CampaignID)
			break
		}
		change.Counts[r.CampaignID] = n
	}
	return change
}

func callCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, callTimeout)
}
