package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// testClock is the server's clock, moved by tests.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fixture is a real server over a real database (a SQLite file, or a fresh
// PostgreSQL database under make test-postgres: openStore) and the
// simulated network (silent contacts, no delay), served by httptest.
type fixture struct {
	t *testing.T
	// reopen opens a second handle on the same database, as another
	// process has.
	reopen func() store.Store
	st     store.Store
	pgURL  string // the PostgreSQL database's, "" on SQLite
	net    *simnet.Network
	// faults stands between the server and net to make sends fail.
	faults *faultyProvider
	srv    *server.Server
	ts     *httptest.Server
	clock  *testClock
	org    store.Organization
	admin  store.User
	phone  int // last number suffix handed out
	codes  int // last join code handed out
	// tokens remembers each test client's bearer token for raw requests.
	tokens map[*api.Client]string
	// stopDispatch stops the server's dispatcher, which has returned once
	// dispatched is closed.
	stopDispatch context.CancelFunc
	dispatched   chan struct{}
}

// 16:00 UTC is noon in New York, where the fixture's contacts live; six
// hours later it is still inside 09:00-21:00 there.
var baseTime = time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, fixtureOpts{})
}

// fixtureOpts changes what newFixtureWith builds.
type fixtureOpts struct {
	// wrap stands between the server and its store (the fixture's own
	// reads and writes go around it); log is the server's (none if zero).
	wrap func(store.Store) store.Store
	log  zerolog.Logger
	// ping spaces the event streams' keep-alives (and their token
	// checks); 50 ms if zero.
	ping time.Duration
	// tokenIdle, if set, is how long a token may go unused (30 days).
	tokenIdle time.Duration
	// tokenLifetime, if set, is how long a token lasts from its sign-in
	// however much it is used (90 days).
	tokenLifetime time.Duration
	// pushRate and pushBurst, if set, replace each user's push limit
	// (pushRate a second, pushBurst at once).
	pushRate, pushBurst float64
	// proxies are the server's trusted reverse proxies (none if nil).
	proxies []netip.Prefix
	// signups is how many accounts an address may create in an hour: 1000
	// if zero (tests sign everyone up from loopback), the server's default
	// if negative.
	signups int
	// unsureWait is the server's UnsureWait: 20ms if zero.
	unsureWait time.Duration
}

func newFixtureWith(t *testing.T, o fixtureOpts) *fixture {
	t.Helper()
	ctx := context.Background()
	st, reopen, pgURL := openStore(t)
	clock := &testClock{now: baseTime}
	netw := simnet.New(simnet.Config{Mix: map[simnet.Kind]int{simnet.Silent: 1}, Seed: 1}, zerolog.Nop())
	faults := &faultyProvider{Provider: netw, sendErrs: map[string][]error{}, lookupErrs: map[string]error{}}
	served := st
	if o.wrap != nil {
		served = o.wrap(st)
	}
	if o.ping == 0 {
		o.ping = 50 * time.Millisecond
	}
	if o.unsureWait == 0 {
		o.unsureWait = 20 * time.Millisecond
	}
	switch {
	case o.signups == 0:
		o.signups = 1000
	case o.signups < 0:
		o.signups = 0
	}
	srv, err := server.New(server.Config{Store: served, Provider: faults, Now: clock.Now, Log: o.log, SignupsPerHour: o.signups,
		BcryptCost: bcrypt.MinCost, PingInterval: o.ping, TrustedProxies: o.proxies, RetryBase: 5 * time.Millisecond, UnsureWait: o.unsureWait, DispatchPoll: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	if o.tokenIdle > 0 {
		srv.SetTokenIdle(o.tokenIdle)
	}
	if o.tokenLifetime > 0 {
		srv.SetTokenLifetime(o.tokenLifetime)
	}
	if o.pushRate > 0 {
		srv.SetPushLimit(o.pushRate, o.pushBurst)
	}
	netw.Attach(srv)
	ts := httptest.NewUnstartedServer(srv.Handler())
	ts.Config.RegisterOnShutdown(srv.Close)
	ts.Start()
	dctx, stopDispatch := context.WithCancel(ctx)
	dispatched := make(chan struct{})
	go func() { srv.RunDispatcher(dctx); close(dispatched) }()
	f := &fixture{t: t, reopen: reopen, st: st, pgURL: pgURL, net: netw, faults: faults, srv: srv, ts: ts, clock: clock, tokens: map[*api.Client]string{},
		stopDispatch: stopDispatch, dispatched: dispatched}
	t.Cleanup(func() {
		stopDispatch()
		<-dispatched
		srv.Close()
		ts.Close()
		netw.Close()
		st.Close()
	})
	f.org = store.Organization{ID: uuid.NewString(), Name: "Test Org", CreatedAt: baseTime}
	f.admin = store.User{ID: uuid.NewString(), Name: "Ann Admin", Email: "admin@example.org", PasswordHash: "x", CreatedAt: baseTime}
	f.update(func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, f.org); err != nil {
			return err
		}
		return tx.CreateUser(ctx, f.admin)
	})
	return f
}

// drain waits until the dispatcher has handed every queued text to the
// provider and recorded the answer.
func (f *fixture) drain() {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := f.srv.Pending(context.Background())
		if err != nil {
			f.t.Fatalf("pending texts: %v", err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("%d texts still queued or sending after 10s", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// sent is every text the provider got, once the dispatcher is idle.
func (f *fixture) sent() []sms.Outbound {
	f.t.Helper()
	f.drain()
	return f.net.Sent()
}

func (f *fixture) update(fn func(tx store.Tx) error) {
	f.t.Helper()
	if err := f.st.Update(context.Background(), fn); err != nil {
		f.t.Fatalf("store update: %v", err)
	}
}

func (f *fixture) view(fn func(tx store.Tx) error) {
	f.t.Helper()
	if err := f.st.View(context.Background(), fn); err != nil {
		f.t.Fatalf("store view: %v", err)
	}
}

type campaignOpts struct {
	name, issue, code string
	private           bool
	hours             store.TextingHours
	batch             int
	contacts          int
	numbers           int
	noFreeText        bool
	scripts           []string
	phones            []string                      // explicit contact numbers, else generated
	fields            func(i int) map[string]string // contact i's columns (contactFields)
	shown             []string                      // columns shown besides the scripts'
}

type campaignFix struct {
	campaign store.Campaign
	action   store.Action
	contacts []store.Contact
}

// campaign creates a campaign with one P2P action, its contacts and pool.
func (f *fixture) campaign(o campaignOpts) campaignFix {
	f.t.Helper()
	ctx := context.Background()
	if o.name == "" {
		o.name = "Test Campaign"
	}
	if o.code == "" {
		f.codes++
		o.code = fmt.Sprintf("%06d", 200000+f.codes)
	}
	if o.hours.Start == "" {
		o.hours = store.TextingHours{Start: "09:00", End: "21:00"}
	}
	if o.batch == 0 {
		o.batch = 5
	}
	if o.scripts == nil {
		o.scripts = []string{"Hi {first_name|friend}, it's {volunteer_first_name}. Will you vote?"}
	}
	var out campaignFix
	out.campaign = store.Campaign{ID: uuid.NewString(), OrganizationID: f.org.ID, Name: o.name, Issue: o.issue,
		JoinCode: o.code, Public: !o.private, Active: true, CreatedAt: baseTime}
	out.action = store.Action{ID: uuid.NewString(), CampaignID: out.campaign.ID, Type: api.ActionP2P, Title: o.name + " action",
		Scripts: o.scripts,
		ResponseScripts: []store.ResponseScript{
			{ID: "thanks", Label: "Thanks", Body: "Thanks, {first_name|friend}!"},
			{ID: "vote", Label: "Will vote", Body: "Great, see you at the polls.", Tags: []string{"will_vote"}},
		},
		ReportFields: []store.ReportField{
			{Key: "will_vote", Label: "Will vote", Kind: "tag"},
			{Key: "support", Label: "Support", Kind: "choice", Choices: []string{"Strong Supporter", "Undecided"}},
			{Key: "age", Label: "Age", Kind: "number"},
		},
		TextingHours: o.hours, BatchSize: o.batch, AllowFreeText: !o.noFreeText, ShownFields: o.shown, CreatorID: f.admin.ID, CreatedAt: baseTime}
	f.update(func(tx store.Tx) error {
		if err := tx.CreateCampaign(ctx, out.campaign); err != nil {
			return err
		}
		if _, err := tx.AddMembership(ctx, store.Membership{CampaignID: out.campaign.ID, UserID: f.admin.ID, Role: store.RoleAdmin, CreatedAt: baseTime}); err != nil {
			return err
		}
		if err := tx.CreateAction(ctx, out.action); err != nil {
			return err
		}
		for i := 0; i < o.numbers; i++ {
			f.phone++
			if err := tx.AddSendingNumber(ctx, out.campaign.ID, fmt.Sprintf("+1202555%04d", f.phone), baseTime); err != nil {
				return err
			}
		}
		phones := o.phones
		for i := len(phones); i < o.contacts; i++ {
			f.phone++
			phones = append(phones, fmt.Sprintf("+1212555%04d", f.phone))
		}
		for i, p := range phones {
			c := store.Contact{ID: uuid.NewString(), ActionID: out.action.ID, FirstName: fmt.Sprintf("Contact%d", i),
				LastName: "Test", Phone: p, Fields: o.contactFields(i), CreatedAt: baseTime.Add(time.Duration(i) * time.Microsecond)}
			if err := tx.CreateContact(ctx, c); err != nil {
				return err
			}
			out.contacts = append(out.contacts, c)
		}
		return nil
	})
	return out
}

// user signs up a new volunteer and returns a client holding their token.
func (f *fixture) user(name string) (*api.Client, api.User) {
	f.t.Helper()
	c := api.NewClient(f.ts.URL, f.ts.Client())
	email := fmt.Sprintf("%s-%s@example.org", name, uuid.NewString()[:8])
	res, err := c.Signup(context.Background(), api.SignupRequest{Name: name + " Volunteer", Email: email, Password: "correct horse battery"})
	if err != nil {
		f.t.Fatalf("signup %s: %v", name, err)
	}
	c.SetToken(res.Token)
	f.tokens[c] = res.Token
	return c, res.User
}

func (f *fixture) token(c *api.Client) string { return f.tokens[c] }

func mustJSON(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

// member signs up a volunteer and joins them to the campaign.
func (f *fixture) member(name string, cf campaignFix) (*api.Client, api.User) {
	f.t.Helper()
	c, u := f.user(name)
	if _, err := c.Join(context.Background(), cf.campaign.JoinCode); err != nil {
		f.t.Fatalf("join %s: %v", cf.campaign.JoinCode, err)
	}
	return c, u
}

// wantAPIError checks err is an API error with this status and code.
func wantAPIError(t *testing.T, err error, status int, code string) *api.APIError {
	t.Helper()
	ae, ok := err.(*api.APIError)
	if !ok {
		t.Fatalf("error = %v (%T), want API error %d %s", err, err, status, code)
	}
	if ae.Status != status || ae.Err.Code != code {
		t.Fatalf("error = %d %s (%q), want %d %s", ae.Status, ae.Err.Code, ae.Err.Message, status, code)
	}
	return ae
}

func sendInitial(t *testing.T, c *api.Client, contactID string) (api.MutationResult, string) {
	t.Helper()
	msgID := uuid.NewString()
	res := push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: contactID, MessageID: msgID})
	return res, msgID
}

func push(t *testing.T, c *api.Client, m api.Mutation) api.MutationResult {
	t.Helper()
	if m.CreatedAt.IsZero() {
		m.CreatedAt = baseTime
	}
	resp, err := c.PushMutations(context.Background(), []api.Mutation{m})
	if err != nil {
		t.Fatalf("push %s: %v", m.Type, err)
	}
	if len(resp.Results) != 1 || resp.Results[0].ID != m.ID {
		t.Fatalf("push %s: results %+v", m.Type, resp.Results)
	}
	return resp.Results[0]
}

func wantApplied(t *testing.T, r api.MutationResult) {
	t.Helper()
	if r.Status != api.ResultApplied {
		t.Fatalf("mutation %s: %s %s (%s), want applied", r.ID, r.Status, r.Code, r.Reason)
	}
}

func wantRejected(t *testing.T, r api.MutationResult, code string) {
	t.Helper()
	if r.Status != api.ResultRejected || r.Code != code {
		t.Fatalf("mutation %s: %s %s (%s), want rejected %s", r.ID, r.Status, r.Code, r.Reason, code)
	}
	if r.Reason == "" {
		t.Fatalf("mutation %s rejected %s without a reason", r.ID, code)
	}
}

// texting is a campaign with one member who has taken a batch: where most
// send tests start.
func (f *fixture) texting(name string, o campaignOpts) (campaignFix, *api.Client, api.User, api.BatchResponse) {
	f.t.Helper()
	cf := f.campaign(o)
	c, u := f.member(name, cf)
	b, err := c.Batch(context.Background(), cf.action.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return cf, c, u, b
}
