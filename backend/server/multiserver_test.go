package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/sms"
)

// second starts another server on the fixture's database (PostgreSQL: the
// fixture's store is shared through reopen), with its own HTTP listener,
// dispatcher and feed listener, sending through the same simulated network.
func (f *fixture) second() (*server.Server, *httptest.Server) {
	f.t.Helper()
	return f.secondPinging(50 * time.Millisecond)
}

// secondPinging is second with its event streams' keep-alives (and token
// checks) every ping.
func (f *fixture) secondPinging(ping time.Duration) (*server.Server, *httptest.Server) {
	f.t.Helper()
	srv, err := server.New(server.Config{Store: f.reopen(), Provider: f.faults, Now: f.clock.Now, Log: zerolog.Nop(),
		BcryptCost: bcrypt.MinCost, PingInterval: ping, RetryBase: 5 * time.Millisecond, UnsureWait: 20 * time.Millisecond, DispatchPoll: 20 * time.Millisecond})
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

// TestTwoServersAdoptDeadServersTexts: server A died (its lock connection
// cut, as a SIGKILL cuts it) with two texts sending, one of which it had
// handed to the provider. The running server adopts both without a
// restart: the first is found at the provider and recorded sent, not sent
// again; the second is sent, once.
func TestTwoServersAdoptDeadServersTexts(t *testing.T) {
	pgtest.Require(t)
	f := newFixture(t)
	ctx := context.Background()
	cf, _, u, batch := f.texting("vera", campaignOpts{contacts: 2, numbers: 1, batch: 2})
	if len(batch.Assigned) != 2 {
		t.Fatalf("batch of %d, want 2", len(batch.Assigned))
	}
	var numbers []store.SendingNumberInfo
	f.update(func(tx store.Tx) error {
		var err error
		numbers, err = tx.ListSendingNumbers(ctx, cf.campaign.ID)
		return err
	})
	dead := f.reopen()
	now := f.clock.Now()
	var texts []sms.Outbound
	err := dead.Update(ctx, func(tx store.Tx) error {
		for _, a := range batch.Assigned {
			th := store.Thread{ID: a.ContactID, ActionID: cf.action.ID, CampaignID: cf.campaign.ID, OrganizationID: f.org.ID,
				OwnerID: u.ID, ContactName: a.FirstName, ContactPhone: a.Phone, SendingNumber: numbers[0].Phone,
				LastMessageAt: now, CreatedAt: now}
			if err := tx.CreateThread(ctx, th); err != nil {
				return err
			}
			m := store.Message{ID: uuid.NewString(), ThreadID: th.ID, Direction: api.DirOutbound, Body: "Hi " + a.FirstName + ", will you vote?",
				Status: api.StatusQueued, Initial: true, SenderID: u.ID, CreatedAt: now}
			if err := tx.CreateMessage(ctx, m); err != nil {
				return err
			}
			// Claimed by server A: sending carries its instance key.
			if err := tx.SetMessageStatus(ctx, m.ID, api.StatusSending, "", "", nil); err != nil {
				return err
			}
			texts = append(texts, sms.Outbound{From: th.SendingNumber, To: th.ContactPhone, Body: m.Body, IdempotencyKey: m.ID})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	handed, err := f.net.Send(ctx, texts[0])
	if err != nil {
		t.Fatal(err)
	}
	// A's lock connection cut, as its death cuts it (a clean Close would
	// give the texts up instead); taken over once its key has been free
	// for the grace, at the running server's looks every 5 s.
	f.st.(*postgres.Store).SetAdoptGrace(500 * time.Millisecond)
	pgtest.CutLocks(t, f.pgURL)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		// The cut ends every backend holding an advisory lock, and so may
		// end a pooled connection of this server's mid-transaction: the
		// next statement on it fails once (SQLSTATE 57P01, as CI saw), and
		// the pool lets it go. Asked again, as any client would.
		n, err := f.srv.Pending(ctx)
		if err != nil && time.Now().Before(deadline) {
			t.Logf("counting unsent texts after the cut (asked again): %v", err)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d texts of the dead server still queued or sending after 30 s", n)
		}
	}
	sent := f.sent()
	got := map[string]int{}
	for _, s := range sent {
		got[s.IdempotencyKey]++
	}
	for _, m := range texts {
		if got[m.IdempotencyKey] != 1 {
			t.Errorf("text %s went out %d times, want once", m.IdempotencyKey, got[m.IdempotencyKey])
		}
	}
	var stored map[string]store.Message
	err = f.st.View(ctx, func(tx store.Tx) error {
		var err error
		stored, err = tx.MessagesByIDs(ctx, []string{texts[0].IdempotencyKey, texts[1].IdempotencyKey})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	first, second := stored[texts[0].IdempotencyKey], stored[texts[1].IdempotencyKey]
	if first.Status != api.StatusSent || first.ProviderID != handed {
		t.Errorf("text handed over before the death: %s with provider id %q, want sent with %q", first.Status, first.ProviderID, handed)
	}
	if second.Status != api.StatusSent || second.ProviderID == "" || second.ProviderID == handed {
		t.Errorf("text not handed over: %s with provider id %q, want sent with its own", second.Status, second.ProviderID)
	}
}

// TestTwoServersSignOut: server B caches who a token is while its feed
// listener hears the database's token changes; a sign-out on server A
// reaches B by that announcement, and B forgets and refuses the token well
// before the cache entry would lapse by itself.
func TestTwoServersSignOut(t *testing.T) {
	pgtest.Require(t)
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	srvB, tsB := f.second()
	waitTokensLive(ctx, t, srvB)
	a, _ := f.user("vera")
	token := f.token(a)
	b := api.NewClient(tsB.URL, nil)
	b.SetToken(token)
	if _, err := b.Me(ctx); err != nil {
		t.Fatalf("server B does not know the token: %v", err)
	}
	if !srvB.TokenCached(token) {
		t.Fatal("server B, listening, did not cache the token")
	}
	if err := a.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	// The entry would lapse by itself after 5 s; the announcement must
	// come well before.
	deadline := time.Now().Add(2 * time.Second)
	for srvB.TokenCached(token) {
		if time.Now().After(deadline) {
			t.Fatal("2 s after signing out on server A, server B still holds the token")
		}
		time.Sleep(time.Millisecond)
	}
	_, err := b.Me(ctx)
	var ae *api.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized {
		t.Fatalf("server B answered the signed-out token with %v, want 401", err)
	}
}

// waitTokensLive waits until srv's feed listener is connected: from then on
// it hears the other servers' token changes.
func waitTokensLive(ctx context.Context, t *testing.T, srv *server.Server) {
	t.Helper()
	for !srv.TokensLive() {
		if ctx.Err() != nil {
			t.Fatal("server B's feed listener never connected")
		}
		time.Sleep(time.Millisecond)
	}
}

// waitFeedWatched waits until srv's feed watcher hears of other processes'
// writes: on SQLite it has read where the database stands (a write before
// that is its starting point, never noticed), on PostgreSQL its listener
// listens and has poked the streams already open.
func waitFeedWatched(t *testing.T, srv *server.Server) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !srv.FeedWatched(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the feed watcher did not start watching within 30 s")
		}
	}
}
