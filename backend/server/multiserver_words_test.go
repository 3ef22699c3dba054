package server_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestTwoServersLookupLeavesAnotherServersCall: server A restarts with a
// text left sending and looks it up while server B, on the same database,
// sends a new text with the same words to the same contact: the provider
// has made B's text, but B's call has no answer yet (and then no record).
// A's lookup waits for B's text to be recorded and does not take it: the
// one left sending is sent (the provider never had it) and each keeps its
// own provider id. Taken, A's text was recorded sent though it never went
// out, and B's recorded without its id.
func TestTwoServersLookupLeavesAnotherServersCall(t *testing.T) {
	pgtest.Require(t)
	f := newFixtureWith(t, fixtureOpts{log: zerolog.Nop()})
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	_, u := f.member("vera", cf)
	number := sendingNumber(f, cf, u)
	ct := cf.contacts[0]
	f.stopDispatch() // server A crashed (as in recoverAfter)
	<-f.dispatched
	const words = "See you Tuesday"
	left, queued := uuid.NewString(), uuid.NewString()
	// Left sending under A's key, whose lock A's store still holds: B
	// does not take it over.
	f.update(func(tx store.Tx) error {
		th := store.Thread{ID: ct.ID, ActionID: cf.action.ID, CampaignID: cf.campaign.ID, OrganizationID: f.org.ID,
			OwnerID: u.ID, ContactPhone: ct.Phone, SendingNumber: number, LastMessageAt: baseTime, CreatedAt: baseTime}
		if err := tx.CreateThread(ctx, th); err != nil {
			return err
		}
		return tx.CreateMessage(ctx, store.Message{ID: left, ThreadID: ct.ID, Direction: api.DirOutbound,
			Body: words, Status: api.StatusSending, SenderID: u.ID, CreatedAt: baseTime})
	})
	// Server B, whose calls the provider answers only once released.
	p := madeThenHeld{f.faults, make(chan string, 4), make(chan struct{})}
	b, err := server.New(server.Config{Store: f.reopen(), Provider: p, Now: f.clock.Now, Log: zerolog.Nop(),
		RetryBase: 5 * time.Millisecond, UnsureWait: 20 * time.Millisecond, DispatchPoll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	bctx, stopB := context.WithCancel(ctx)
	bDone := make(chan struct{})
	go func() { b.RunDispatcher(bctx); close(bDone) }()
	t.Cleanup(func() { stopB(); <-bDone; b.Close() })
	f.update(func(tx store.Tx) error {
		return tx.CreateMessage(ctx, store.Message{ID: queued, ThreadID: ct.ID, Direction: api.DirOutbound,
			Body: words, Status: api.StatusQueued, SenderID: u.ID, CreatedAt: baseTime.Add(time.Second)})
	})
	select {
	case <-p.made: // B's call is under way; the provider has its text
	case <-time.After(10 * time.Second):
		t.Fatal("server B did not send the queued text")
	}
	// B's call is answered only once A's lookup has found it in flight
	// and waited for it: the wait this test is about, on every machine.
	var waited atomic.Bool
	recoverWatched(t, f, f.faults, zerolog.Nop(), 100*time.Millisecond, func(a *server.Server) {
		go func() {
			defer close(p.release)
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				if a.ElsewhereWaits() > 0 {
					waited.Store(true)
					return
				}
			}
		}()
	})
	if !waited.Load() {
		t.Fatal("server A's lookup never waited for server B's call with the same words")
	}
	if n := len(f.net.Sent()); n != 2 {
		t.Fatalf("the network holds %d texts, want 2 (the one left sending never reached it)", n)
	}
	a, q := messageStatus(t, f, left), messageStatus(t, f, queued)
	if a.Status != api.StatusSent || q.Status != api.StatusSent || a.ProviderID == "" || q.ProviderID == "" || a.ProviderID == q.ProviderID {
		t.Fatalf("left (server A): %s %q; queued (server B): %s %q; want each sent with its own provider id",
			a.Status, a.ProviderID, q.Status, q.ProviderID)
	}
}
