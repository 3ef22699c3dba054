package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// TestCrashCutCreateSentOnce: a crash cut a provider call, and the
// provider finishes creating the text a moment after the server is back.
// The restarted server looks the text up UnsureWait after its start, so it
// finds the text rather than send it a second time.
func TestCrashCutCreateSentOnce(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{log: zerolog.Nop()})
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	_, u := f.member("vera", cf)
	number := sendingNumber(f, cf, u)
	ct := cf.contacts[0]
	ids := storeFirstTexts(f, cf, u, number, api.StatusSending)
	landed := make(chan error, 1)
	go func() {
		time.Sleep(100 * time.Millisecond)
		// The cut call's create, without our key: a provider that keeps
		// no idempotency keys (Twilio's create) cannot tell.
		_, err := f.net.Send(context.Background(), sms.Outbound{From: number, To: ct.Phone, Body: "Hi " + ct.FirstName})
		landed <- err
	}()
	// Looked up at once, as the restart did before, the text was sent a
	// second time before the create landed.
	recoverAfter(t, f, f.faults, zerolog.Nop(), 600*time.Millisecond)
	if err := <-landed; err != nil {
		t.Fatal(err)
	}
	if n := len(f.net.Sent()); n != 1 {
		t.Fatalf("the network holds %d texts, want 1", n)
	}
	if m := messageStatus(t, f, ids[0]); m.Status != api.StatusSent || m.ProviderID == "" {
		t.Fatalf("stored %q provider id %q; want sent with the late text's id", m.Status, m.ProviderID)
	}
}

// TestClaimsGoOnWhileLeftTextsWait: while the texts a crash left sending
// wait to be looked up, the restarted server sends the texts queued.
func TestClaimsGoOnWhileLeftTextsWait(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{log: zerolog.Nop()})
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	_, u := f.member("vera", cf)
	number := sendingNumber(f, cf, u)
	// The crashed server is gone (as in recoverAfter).
	f.stopDispatch()
	<-f.dispatched
	ids := storeFirstTexts(f, cf, u, number, api.StatusSending)
	left, queued := ids[0], ids[1]
	f.update(func(tx store.Tx) error {
		return tx.SetMessageStatuses(context.Background(), []store.MessageStatus{{ID: queued, Status: api.StatusQueued}})
	})
	const hold = 3 * time.Second
	srv, err := server.New(server.Config{Store: f.st, Provider: f.faults, Now: f.clock.Now,
		RetryBase: 5 * time.Millisecond, UnsureWait: hold, DispatchPoll: 20 * time.Millisecond, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	start := time.Now()
	go func() { srv.RunDispatcher(ctx); close(done) }()
	defer func() { stop(); <-done }()
	for messageStatus(t, f, queued).Status != api.StatusSent {
		if time.Since(start) > hold {
			t.Fatalf("the queued text waited for the texts left sending (%v)", time.Since(start))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if st := messageStatus(t, f, left).Status; st != api.StatusSending {
		t.Fatalf("the text left sending is %q before its wait ended; want still sending", st)
	}
	for messageStatus(t, f, left).Status != api.StatusSent {
		if time.Since(start) > hold+10*time.Second {
			t.Fatalf("the text left sending is still %q", messageStatus(t, f, left).Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if time.Since(start) < hold {
		t.Fatalf("the text left sending was settled %v after the start; want no sooner than %v", time.Since(start), hold)
	}
	if n := len(f.net.Sent()); n != 2 {
		t.Fatalf("the network holds %d texts, want 2", n)
	}
}
