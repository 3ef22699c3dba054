package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
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

// madeThenHeld makes each text at the network at once but answers the
// call only once release is closed: the provider has the text while our
// call still waits for its id.
type madeThenHeld struct {
	*faultyProvider
	made    chan string // the provider id of each text made
	release chan struct{}
}

func (p madeThenHeld) Send(ctx context.Context, m sms.Outbound) (string, error) {
	id, err := p.faultyProvider.Send(ctx, m)
	if err == nil {
		p.made <- id
		<-p.release
	}
	return id, err
}

// TestLookupLeavesAnotherCallsText: a text left sending waits to be looked
// up while a new text with the same words to the same contact is being
// sent; the provider has made the new one, but its call has no answer yet.
// The lookup waits for that call and does not take its text: the one left
// sending is sent (the provider never had it) and each keeps its own
// provider id.
func TestLookupLeavesAnotherCallsText(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{log: zerolog.Nop()})
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	_, u := f.member("vera", cf)
	number := sendingNumber(f, cf, u)
	ct := cf.contacts[0]
	f.stopDispatch() // the crashed server is gone (as in recoverAfter)
	<-f.dispatched
	left, queued := uuid.NewString(), uuid.NewString()
	f.update(func(tx store.Tx) error {
		th := store.Thread{ID: ct.ID, ActionID: cf.action.ID, CampaignID: cf.campaign.ID, OrganizationID: f.org.ID,
			OwnerID: u.ID, ContactPhone: ct.Phone, SendingNumber: number, LastMessageAt: baseTime, CreatedAt: baseTime}
		if err := tx.CreateThread(ctx, th); err != nil {
			return err
		}
		for i, m := range []struct{ id, status string }{{left, api.StatusSending}, {queued, api.StatusQueued}} {
			if err := tx.CreateMessage(ctx, store.Message{ID: m.id, ThreadID: ct.ID, Direction: api.DirOutbound,
				Body: "See you Tuesday", Status: m.status, SenderID: u.ID, CreatedAt: baseTime.Add(time.Duration(i) * time.Second)}); err != nil {
				return err
			}
		}
		return nil
	})
	p := madeThenHeld{f.faults, make(chan string, 4), make(chan struct{})}
	go func() {
		<-p.made
		// Past the left text's wait: its lookup comes while this call waits.
		time.Sleep(500 * time.Millisecond)
		close(p.release)
	}()
	recoverAfter(t, f, p, zerolog.Nop(), 100*time.Millisecond)
	if n := len(f.net.Sent()); n != 2 {
		t.Fatalf("the network holds %d texts, want 2 (the one left sending never reached it)", n)
	}
	a, b := messageStatus(t, f, left), messageStatus(t, f, queued)
	if a.Status != api.StatusSent || b.Status != api.StatusSent || a.ProviderID == "" || b.ProviderID == "" || a.ProviderID == b.ProviderID {
		t.Fatalf("left: %s %q; queued: %s %q; want each sent with its own provider id", a.Status, a.ProviderID, b.Status, b.ProviderID)
	}
}
