package sync_test

import (
	"context"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms/simnet"
	"github.com/textbank/textbank/backend/sync"
	"github.com/textbank/textbank/backend/texting"
)

// instant makes simulated contacts answer at once.
var instant = simnet.Config{Seed: 1, MinDelay: 0, MaxDelay: 0}

func startDemo(t *testing.T, netw simnet.Config) *demo.Instance {
	t.Helper()
	inst, err := demo.Start(context.Background(), demo.Options{
		Dir: t.TempDir(), Addr: "127.0.0.1:0", Log: zerolog.Nop(), Network: netw, BcryptCost: bcrypt.MinCost,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = inst.Close(ctx)
	})
	return inst
}

// harness is one volunteer's app: a cache and an engine, talking to the demo
// server through a gate that can take the server away.
type harness struct {
	t      *testing.T
	inst   *demo.Instance
	gate   *gate
	api    *api.Client
	token  string // the volunteer's session
	dir    string // the cache's directory
	cache  *cache.Cache
	engine *sync.Engine
	skew   atomic.Int64 // the engine's clock ahead of the wall's (later)

	mu       gosync.Mutex
	inbound  []cache.NewInbound
	rejected []sync.Rejection
	statuses []sync.Status
}

// later moves the engine's clock on by d.
func (h *harness) later(d time.Duration) { h.skew.Add(int64(d)) }

type harnessOpts struct {
	netw      simnet.Config
	poll      time.Duration
	pageLimit int
	noRun     bool            // the test drives the engine itself
	log       *zerolog.Logger // the engine's; none if nil
	// durable, if set, is the engine's sync of the cache before a push
	// (the cache's own otherwise).
	durable func() error
}

func newHarness(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	inst := startDemo(t, o.netw)
	g := newGate(t, inst.URL)
	h := &harness{t: t, inst: inst, gate: g, api: api.NewClient(g.URL(), nil)}
	ctx := context.Background()
	auth, err := h.api.Login(ctx, api.LoginRequest{Email: inst.Info.VolunteerEmail, Password: inst.Info.VolunteerPassword})
	if err != nil {
		t.Fatal(err)
	}
	h.api.SetToken(auth.Token)
	h.token = auth.Token
	if _, err := h.api.Join(ctx, inst.Info.JoinCode); err != nil {
		t.Fatal(err)
	}
	h.dir = t.TempDir()
	if h.cache, err = cache.Open(ctx, h.dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.cache.Close() })
	if o.poll == 0 {
		o.poll = time.Hour // nothing in these tests may rely on the timer
	}
	log := zerolog.Nop()
	if o.log != nil {
		log = *o.log
	}
	h.engine = sync.New(sync.Config{
		Cache: h.cache, API: h.api, Log: log,
		PollInterval: o.poll, BackoffMin: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond,
		PageLimit: o.pageLimit, Durable: o.durable,
		// The outbox's clock, which a test moves on (later).
		Now: func() time.Time { return time.Now().Add(time.Duration(h.skew.Load())) },
		OnChange: func(s sync.ChangeSummary) {
			h.mu.Lock()
			h.inbound = append(h.inbound, s.NewInbound...)
			h.rejected = append(h.rejected, s.Rejected...)
			h.mu.Unlock()
		},
		OnStatus: func(s sync.Status) {
			h.mu.Lock()
			h.statuses = append(h.statuses, s)
			h.mu.Unlock()
		},
	})
	if !o.noRun {
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); h.engine.Run(runCtx) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	return h
}

// batch asks for contacts and pulls them into the cache.
func (h *harness) batch() []api.Assignment {
	h.t.Helper()
	ctx := context.Background()
	resp, err := h.api.Batch(ctx, h.inst.Info.ActionID)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.engine.PullNow(ctx); err != nil {
		h.t.Fatal(err)
	}
	q, err := h.cache.Assignments(ctx, h.inst.Info.ActionID)
	if err != nil {
		h.t.Fatal(err)
	}
	if len(q) < len(resp.Assigned) || len(q) == 0 {
		h.t.Fatalf("queue has %d, batch assigned %d", len(q), len(resp.Assigned))
	}
	return q
}

func (h *harness) send(a api.Assignment) string {
	h.t.Helper()
	return h.sendWithID(a, uuid.NewString())
}

// sendWithID is send with the text's message id given.
func (h *harness) sendWithID(a api.Assignment, id string) string {
	h.t.Helper()
	// The body must be the script as the server renders it, or the server
	// refuses the text as script_changed.
	action, err := h.cache.Action(context.Background(), a.ActionID)
	if err != nil {
		h.t.Fatal(err)
	}
	body, err := texting.RenderInitial(action.Scripts, a.ScriptIndex,
		texting.Contact{FirstName: a.FirstName, LastName: a.LastName, Zip: a.Fields["zip"], Fields: a.Fields},
		texting.Volunteer{Name: demo.VolunteerName})
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.cache.SendInitial(context.Background(), a.ActionID, a.ContactID, id, body, time.Now()); err != nil {
		h.t.Fatal(err)
	}
	h.engine.Kick()
	return id
}

// serverThread waits until the text sent to contactID has reached the
// server and come back as the server's thread: nothing queued, and the
// thread holds its sending number and owner, which only the server gives.
func (h *harness) serverThread(contactID string) cache.ThreadDetail {
	h.t.Helper()
	var th cache.ThreadDetail
	eventually(h.t, "the server's thread", 10*time.Second, func() bool {
		var err error
		th, err = h.cache.Thread(context.Background(), contactID)
		return err == nil && h.pending() == 0 && th.Thread.SendingNumber != "" && th.Thread.OwnerID != ""
	})
	return th
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (h *harness) pending() int {
	n, err := h.cache.PendingCount(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *harness) sentTo(phone string) int {
	n := 0
	for _, m := range h.inst.Network.Sent() {
		if m.To == phone {
			n++
		}
	}
	return n
}
