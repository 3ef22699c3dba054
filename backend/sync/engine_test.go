package sync_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms"
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
	cache  *cache.Cache
	engine *sync.Engine

	mu       gosync.Mutex
	inbound  []cache.NewInbound
	rejected []sync.Rejection
	statuses []sync.Status
}

type harnessOpts struct {
	netw      simnet.Config
	poll      time.Duration
	pageLimit int
	noRun     bool // the test drives the engine itself
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
	if _, err := h.api.Join(ctx, inst.Info.JoinCode); err != nil {
		t.Fatal(err)
	}
	if h.cache, err = cache.Open(ctx, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.cache.Close() })
	if o.poll == 0 {
		o.poll = time.Hour // nothing in these tests may rely on the timer
	}
	h.engine = sync.New(sync.Config{
		Cache: h.cache, API: h.api, Log: zerolog.Nop(),
		PollInterval: o.poll, BackoffMin: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond,
		PageLimit: o.pageLimit,
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
	id := uuid.NewString()
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

func TestPullInSmallPagesAppliesEverythingOnce(t *testing.T) {
	ctx := context.Background()
	// Contacts answer after an hour: the server holds still while we compare.
	h := newHarness(t, harnessOpts{netw: simnet.Config{Seed: 1, MinDelay: time.Hour, MaxDelay: time.Hour}, pageLimit: 2})
	q := h.batch()
	for _, a := range q[:4] {
		h.send(a)
	}
	eventually(t, "sends pushed", 10*time.Second, func() bool { return h.pending() == 0 })

	// snapshot is everything the inbox shows, as text.
	snapshot := func(c *cache.Cache) string {
		var b strings.Builder
		cur, _ := c.Cursor(ctx)
		camps, _ := c.Campaigns(ctx)
		acts, _ := c.Actions(ctx, h.inst.Info.CampaignID)
		queue, _ := c.Assignments(ctx, h.inst.Info.ActionID)
		counts, _ := c.Counts(ctx, "")
		rows, _ := c.Threads(ctx, cache.ThreadQuery{Filter: "all", Limit: 500})
		fmt.Fprintf(&b, "cursor %d\ncampaigns %v\nactions %v\nqueue %v\ncounts %v\n", cur, camps, acts, queue, counts)
		for _, r := range rows {
			d, _ := c.Thread(ctx, r.ID)
			fmt.Fprintf(&b, "thread %+v\n", r)
			for _, m := range d.Messages {
				fmt.Fprintf(&b, "  message %s %s %q %s initial=%v pending=%v\n", m.ID, m.Direction, m.Body, m.Status, m.Initial, m.Pending)
			}
		}
		return b.String()
	}
	pullFresh := func(limit int) *cache.Cache {
		c, err := cache.Open(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		e := sync.New(sync.Config{Cache: c, API: h.api, Log: zerolog.Nop(), PageLimit: limit})
		if err := e.PullNow(ctx); err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Texts move from queued to sent just after the push; retry until the
	// server has settled and all three agree on the cursor.
	var small, big, live string
	for try := 0; try < 50; try++ {
		if err := h.engine.PullNow(ctx); err != nil {
			t.Fatal(err)
		}
		live, small, big = snapshot(h.cache), snapshot(pullFresh(1)), snapshot(pullFresh(1000))
		if live == big && small == big {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if small != big {
		t.Fatalf("pages of 1 differ from one page:\n%s\nvs\n%s", small, big)
	}
	if live != big {
		t.Fatalf("the live cache (pages of 2, optimistic sends) differs from a fresh pull:\n%s\nvs\n%s", live, big)
	}
	if want := 4 + demo.SeededThreads(); strings.Count(big, "thread ") != want || strings.Count(big, "initial=true") != want {
		t.Fatalf("want %d threads with one first text each:\n%s", want, big)
	}
}

func TestSendWhileServerDownGoesOutOnceWhenBack(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: instant})
	q := h.batch()
	eventually(t, "online", 5*time.Second, func() bool { return h.engine.Status().Online })

	h.gate.setDown(true)
	msgID := h.send(q[0])
	// The event stream can report the server gone before the push has
	// recorded its failed attempt: wait for both.
	eventually(t, "offline status and a failed push", 5*time.Second, func() bool {
		st := h.engine.Status()
		rows, err := h.cache.Outbox(ctx)
		return !st.Online && st.Pending == 1 && st.LastError != "" && err == nil && len(rows) == 1 && rows[0].Attempts > 0
	})
	rows, err := h.cache.Outbox(ctx)
	if err != nil || len(rows) != 1 || rows[0].Attempts == 0 || rows[0].Rejected {
		t.Fatalf("outbox while down: %+v %v", rows, err)
	}
	if n := h.sentTo(q[0].Phone); n != 0 {
		t.Fatalf("provider saw %d texts while the server was unreachable", n)
	}
	d, _ := h.cache.Thread(ctx, q[0].ContactID)
	if len(d.Messages) != 1 || !d.Messages[0].Pending {
		t.Fatalf("optimistic thread while down: %+v", d)
	}

	h.gate.setDown(false)
	eventually(t, "send delivered after the server came back", 10*time.Second, func() bool {
		d, err := h.cache.Thread(ctx, q[0].ContactID)
		return err == nil && h.pending() == 0 && len(d.Messages) > 0 && d.Messages[0].ID == msgID && !d.Messages[0].Pending &&
			d.Messages[0].Status != api.StatusQueued && h.sentTo(q[0].Phone) > 0
	})
	eventually(t, "online again", 5*time.Second, func() bool { return h.engine.Status().Online })
	if n := h.sentTo(q[0].Phone); n != 1 {
		t.Fatalf("provider saw %d texts to %s, want exactly 1", n, q[0].Phone)
	}

	// The answer to a push is lost after the server applied it: the engine
	// sends it again, and the server must not text the contact twice.
	h.gate.dropPushAnswers.Store(1)
	before := h.gate.pushes.Load()
	h.send(q[1])
	// The dispatcher calls the provider after the push is answered (the
	// message is recorded sending first): wait for the call, then count.
	eventually(t, "lost answer retried and the text sent", 10*time.Second, func() bool {
		return h.pending() == 0 && h.sentTo(q[1].Phone) > 0
	})
	if got := h.gate.pushes.Load() - before; got < 2 {
		t.Fatalf("the push was not retried (%d pushes)", got)
	}
	if n := h.sentTo(q[1].Phone); n != 1 {
		t.Fatalf("provider saw %d texts to %s after a retried push, want exactly 1", n, q[1].Phone)
	}
}

func TestReplyArrivesThroughEventStream(t *testing.T) {
	ctx := context.Background()
	// Simulated contacts stay silent; the test plays the contact itself, so
	// the reply lands after every round is over and only the live stream can
	// bring it before the (hour-long) poll timer.
	h := newHarness(t, harnessOpts{netw: simnet.Config{Seed: 3, Mix: simnet.Mix{simnet.Silent: 1}}})
	q := h.batch()
	h.send(q[0])
	var th cache.ThreadDetail
	eventually(t, "the server's thread", 10*time.Second, func() bool {
		var err error
		th, err = h.cache.Thread(ctx, q[0].ContactID)
		return err == nil && h.pending() == 0 && th.Thread.SendingNumber != "" && th.Thread.OwnerID != ""
	})
	time.Sleep(100 * time.Millisecond) // let the last round finish
	err := h.inst.Server.Receive(ctx, sms.Inbound{
		ProviderID: "SMtest" + uuid.NewString()[:8], From: q[0].Phone, To: th.Thread.SendingNumber,
		Body: "Yes, I will vote", ReceivedAt: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reply through the event stream", 5*time.Second, func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return len(h.inbound) > 0
	})
	h.mu.Lock()
	n := h.inbound[0]
	h.mu.Unlock()
	if n.ThreadID != q[0].ContactID || n.Body != "Yes, I will vote" || n.ContactName == "" {
		t.Fatalf("new inbound %+v", n)
	}
	// Newest first: the reply tops the unread list, above the demo's own
	// conversations.
	rows, err := h.cache.Threads(ctx, cache.ThreadQuery{Filter: "unread"})
	if err != nil || len(rows) != 1+demo.SeededThreads() || rows[0].ID != q[0].ContactID || !rows[0].NeedsAttention || rows[0].LastMessage != "Yes, I will vote" {
		t.Fatalf("unread threads %+v %v", rows, err)
	}
}

func TestRejectedMutationRollsBack(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: instant, noRun: true})
	q := h.batch()
	// The server takes the contacts back, but this app has not heard yet.
	if _, err := h.api.Release(ctx, h.inst.Info.ActionID); err != nil {
		t.Fatal(err)
	}
	h.send(q[0])
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); h.engine.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	eventually(t, "rejection", 10*time.Second, func() bool { return h.pending() == 0 })
	rows, err := h.cache.Outbox(ctx)
	if err != nil || len(rows) != 1 {
		t.Fatalf("outbox %+v %v", rows, err)
	}
	r := rows[0]
	if !r.Rejected || r.Code != api.RejectNotAssigned || r.Reason == "" || r.ContactName == "" {
		t.Fatalf("outbox row %+v", r)
	}
	if _, err := h.cache.Thread(ctx, q[0].ContactID); !errors.Is(err, cache.ErrNotFound) {
		t.Fatalf("optimistic thread not rolled back: %v", err)
	}
	if n := h.sentTo(q[0].Phone); n != 0 {
		t.Fatalf("provider saw %d texts", n)
	}
	// OnChange hears of the refusal once the round that got it ends, just
	// after the outbox row is marked.
	eventually(t, "the rejection reported", 10*time.Second, func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return len(h.rejected) > 0
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.rejected) != 1 || h.rejected[0].Reason != r.Reason || h.rejected[0].Type != api.MutSendInitial {
		t.Fatalf("OnChange rejections %+v", h.rejected)
	}
}

func TestOfflineFromTheStart(t *testing.T) {
	c, err := cache.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	statuses := make(chan sync.Status, 10)
	e := sync.New(sync.Config{Cache: c, API: api.NewClient("http://127.0.0.1:1", nil), Log: zerolog.Nop(),
		BackoffMin: 5 * time.Millisecond, BackoffMax: 20 * time.Millisecond,
		OnStatus: func(s sync.Status) { statuses <- s }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	select {
	case s := <-statuses:
		if s.Online || s.LastError == "" {
			t.Fatalf("status %+v", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no status")
	}
	if err := e.PullNow(ctx); !errors.Is(err, api.ErrUnreachable) {
		t.Fatalf("PullNow offline: %v", err)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}

// A page the server answered before a push was applied, but which lands
// after the push left the outbox, must not show the older state: here the
// volunteer's own settings change flipping back until the next pull.
func TestPagePredatingAPushIsAskedForAgain(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: instant, noRun: true})
	if err := h.engine.PullNow(ctx); err != nil {
		t.Fatal(err)
	}
	// Another desktop turns Automatic Archive on...
	on := api.Settings{AutoArchive: true}
	res, err := h.api.PushMutations(ctx, []api.Mutation{{ID: uuid.NewString(), Type: api.MutSettings, CreatedAt: time.Now(), Settings: &on}})
	if err != nil || len(res.Results) != 1 || res.Results[0].Status != api.ResultApplied {
		t.Fatalf("other desktop: %+v %v", res, err)
	}
	// ...and this one, not having heard, turns it off.
	if err := h.cache.SetAutoArchive(ctx, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	fetched, release := h.gate.holdNextSync()
	pulled := make(chan error, 1)
	go func() { pulled <- h.engine.PullNow(ctx) }()
	<-fetched // the page says "on", and is on its way
	if err := h.engine.PushNow(ctx); err != nil {
		t.Fatal(err)
	}
	syncsBefore := h.gate.syncs.Load()
	close(release)
	if err := <-pulled; err != nil {
		t.Fatal(err)
	}
	if n := h.gate.syncs.Load() - syncsBefore; n < 1 {
		t.Fatalf("the page that predates the push was applied, not asked for again (%d more syncs)", n)
	}
	if s, err := h.cache.LocalSettings(ctx); err != nil || s.AutoArchive {
		t.Fatalf("settings after the pull %+v %v: the older page won", s, err)
	}
}

// A volunteer pushing while every page is on the wire cannot starve the
// pull: after three pages a push overtook, the fourth is fetched with
// pushes held back, applied, and the push waiting meanwhile goes through
// right after.
func TestPullIsNotStarvedByPushes(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: instant, noRun: true})
	if err := h.engine.PullNow(ctx); err != nil {
		t.Fatal(err)
	}
	var mu gosync.Mutex
	on := false
	pushed := make(chan error, 8)
	overtake := func() {
		mu.Lock()
		on = !on
		v := on
		mu.Unlock()
		if err := h.cache.SetAutoArchive(ctx, v, time.Now()); err != nil {
			t.Error(err)
			return
		}
		// Not waited for: on the held fetch the push must wait for the
		// page, which waits for this answer.
		go func() { pushed <- h.engine.PushNow(ctx) }()
		time.Sleep(50 * time.Millisecond) // the push, when it can, lands before the page
	}
	h.gate.onSync.Store(&overtake)
	syncsBefore := h.gate.syncs.Load()
	if err := h.engine.PullNow(ctx); err != nil {
		t.Fatal(err)
	}
	h.gate.onSync.Store(nil)
	if n := h.gate.syncs.Load() - syncsBefore; n != 4 {
		t.Fatalf("%d fetches of one page; want 3 overtaken and 1 held", n)
	}
	for range 4 {
		select {
		case err := <-pushed:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a push never went through after the held fetch")
		}
	}
	if n := h.pending(); n != 0 {
		t.Fatalf("%d mutations still pending", n)
	}
	if s, err := h.cache.LocalSettings(ctx); err != nil || s.AutoArchive {
		t.Fatalf("settings %+v %v; the last change (off) should show", s, err)
	}
}
