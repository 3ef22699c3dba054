package server_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/sms"
)

// second starts another server on the fixture's database (PostgreSQL: the
// fixture's store is shared through reopen), with its own HTTP listener,
// dispatcher and feed listener, sending through the same simulated network.
func (f *fixture) second() (*server.Server, *httptest.Server) {
	f.t.Helper()
	srv, err := server.New(server.Config{Store: f.reopen(), Provider: f.faults, Now: f.clock.Now, Log: zerolog.Nop(),
		BcryptCost: bcrypt.MinCost, PingInterval: 50 * time.Millisecond, RetryBase: 5 * time.Millisecond, DispatchPoll: 20 * time.Millisecond})
	if err != nil {
		f.t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv.Handler())
	ts.Config.RegisterOnShutdown(srv.Close)
	ts.Start()
	ctx, stop := context.WithCancel(context.Background())
	dispatched := make(chan struct{})
	go func() { srv.RunDispatcher(ctx); close(dispatched) }()
	go srv.WatchFeed(ctx, 20*time.Millisecond)
	f.t.Cleanup(func() {
		stop()
		<-dispatched
		srv.Close()
		ts.Close()
	})
	return srv, ts
}

// TestTwoServersLiveEvents: a reply that reaches server B pokes the
// volunteer's event stream held by server A (LISTEN/NOTIFY).
func TestTwoServersLiveEvents(t *testing.T) {
	pgtest.Require(t)
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	go f.srv.WatchFeed(ctx, 20*time.Millisecond)
	b, _ := f.second()

	cf, c, _, batch := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
	res, _ := sendInitial(t, c, batch.Assigned[0].ContactID)
	wantApplied(t, res)
	f.drain()

	events := make(chan api.Event, 16)
	opened := make(chan struct{})
	go func() { _ = c.Stream(ctx, func() { close(opened) }, func(ev api.Event) { events <- ev }) }()
	<-opened
	first := <-events

	sent := f.sent()
	if len(sent) != 1 {
		t.Fatalf("%d texts sent, want 1", len(sent))
	}
	if err := b.Receive(ctx, sms.Inbound{ProviderID: "SM-two-servers", From: cf.contacts[0].Phone, To: sent[0].From,
		Body: "yes", ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-events:
		if ev.Version <= first.Version {
			t.Fatalf("event version %d, want > %d", ev.Version, first.Version)
		}
	case <-ctx.Done():
		t.Fatal("the reply stored by server B never reached the stream held by server A")
	}
}

// TestTwoServersDispatchOnce: two servers dispatch from one database; every
// queued text is sent exactly once.
func TestTwoServersDispatchOnce(t *testing.T) {
	pgtest.Require(t)
	f := newFixture(t)
	f.second()
	const n = 60
	_, c, _, batch := f.texting("vera", campaignOpts{contacts: n, numbers: 2, batch: n})
	if len(batch.Assigned) != n {
		t.Fatalf("batch of %d, want %d", len(batch.Assigned), n)
	}
	want := map[string]bool{}
	for _, a := range batch.Assigned {
		res, id := sendInitial(t, c, a.ContactID)
		wantApplied(t, res)
		want[id] = true
	}
	sent := f.sent()
	got := map[string]int{}
	for _, s := range sent {
		got[s.IdempotencyKey]++
	}
	for id := range want {
		if got[id] != 1 {
			t.Errorf("text %s sent %d times, want once", id, got[id])
		}
	}
	if len(sent) != n {
		t.Fatalf("%d texts sent, want %d", len(sent), n)
	}
}
