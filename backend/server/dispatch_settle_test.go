package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// recoverWith starts a dispatcher on f's store with provider, as a server
// restarted after a crash, and waits until nothing is left queued or
// sending.
func recoverWith(t *testing.T, f *fixture, provider sms.Provider, log zerolog.Logger) {
	t.Helper()
	recoverAfter(t, f, provider, log, 20*time.Millisecond)
}

// recoverAfter is recoverWith with the server's UnsureWait: how long after
// its start it looks up the texts left sending.
func recoverAfter(t *testing.T, f *fixture, provider sms.Provider, log zerolog.Logger, unsure time.Duration) {
	t.Helper()
	recoverWatched(t, f, provider, log, unsure, nil)
}

// recoverWatched is recoverAfter that hands the recovering server to
// started, before its dispatcher runs, for a test to watch it.
func recoverWatched(t *testing.T, f *fixture, provider sms.Provider, log zerolog.Logger, unsure time.Duration, started func(*server.Server)) {
	t.Helper()
	// The crashed server is gone: the fixture's own dispatcher, on the
	// same store (and, on PostgreSQL, the same key), would otherwise
	// settle the texts with its own provider while this one waits.
	f.stopDispatch()
	<-f.dispatched
	srv, err := server.New(server.Config{Store: f.st, Provider: provider, Now: f.clock.Now, Log: log,
		RetryBase: 5 * time.Millisecond, UnsureWait: unsure, DispatchPoll: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if started != nil {
		started(srv)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.RunDispatcher(ctx); close(done) }()
	defer func() { stop(); <-done }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		n, err := srv.Pending(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d texts still queued or sending", n)
		}
	}
}

// TestRecoverTwoTextsWithTheSameWords: a crash left two replies with the
// same words to one contact sending, and only the first had reached the
// provider. Each provider text accounts for one of ours: the second is
// sent now, not recorded sent on the first one's record (and so lost).
func TestRecoverTwoTextsWithTheSameWords(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{log: zerolog.Nop()})
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	_, u := f.member("vera", cf)
	number := sendingNumber(f, cf, u)
	ct := cf.contacts[0]
	const body = "Thanks, talk soon!"
	ids := []string{uuid.NewString(), uuid.NewString()}
	if _, err := f.net.Send(ctx, sms.Outbound{From: number, To: ct.Phone, Body: body, IdempotencyKey: ids[0]}); err != nil {
		t.Fatal(err)
	}
	f.update(func(tx store.Tx) error {
		th := store.Thread{ID: ct.ID, ActionID: cf.action.ID, CampaignID: cf.campaign.ID, OrganizationID: f.org.ID,
			OwnerID: u.ID, ContactPhone: ct.Phone, SendingNumber: number, LastMessageAt: baseTime, CreatedAt: baseTime}
		if err := tx.CreateThread(ctx, th); err != nil {
			return err
		}
		for i, id := range ids {
			if err := tx.CreateMessage(ctx, store.Message{ID: id, ThreadID: ct.ID, Direction: api.DirOutbound,
				Body: body, Status: api.StatusSending, SenderID: u.ID, CreatedAt: baseTime.Add(time.Duration(i) * time.Second)}); err != nil {
				return err
			}
		}
		return nil
	})
	recoverWith(t, f, f.faults, zerolog.Nop())
	if n := len(f.net.Sent()); n != 2 {
		t.Fatalf("the network holds %d texts to the contact, want 2 (the second sent after the restart)", n)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		m := messageStatus(t, f, id)
		if m.Status != api.StatusSent || m.ProviderID == "" || seen[m.ProviderID] {
			t.Fatalf("text %s: status %q provider id %q (ids so far %v); want each sent with its own provider text", id, m.Status, m.ProviderID, seen)
		}
		seen[m.ProviderID] = true
	}
}

// statusProvider answers lookups with a fixed status of the texts found.
type statusProvider struct {
	*faultyProvider
	status string
}

func (p statusProvider) Lookup(ctx context.Context, m sms.Outbound, since time.Time) ([]sms.Sent, error) {
	found, err := p.faultyProvider.Lookup(ctx, m, since)
	for i := range found {
		found[i].Status = p.status
	}
	return found, err
}

// TestRecoveryKeepsTheProviderStatus: a text the provider took and could
// not deliver while our server was down (its status callbacks went
// nowhere) is stored undelivered after the restart, not sent.
func TestRecoveryKeepsTheProviderStatus(t *testing.T) {
	for _, tc := range []struct{ provider, want string }{
		{sms.StatusUndelivered, api.StatusUndelivered},
		{sms.StatusDelivered, api.StatusDelivered},
		{sms.StatusSent, api.StatusSent},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			f := newFixtureWith(t, fixtureOpts{log: zerolog.Nop()})
			cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
			_, u := f.member("vera", cf)
			number := sendingNumber(f, cf, u)
			ct := cf.contacts[0]
			if _, err := f.net.Send(context.Background(), sms.Outbound{From: number, To: ct.Phone, Body: "Hi " + ct.FirstName}); err != nil {
				t.Fatal(err)
			}
			ids := storeFirstTexts(f, cf, u, number, api.StatusSending)
			recoverWith(t, f, statusProvider{f.faults, tc.provider}, zerolog.Nop())
			m := messageStatus(t, f, ids[0])
			if m.Status != tc.want || m.ProviderID == "" || m.SentAt == nil {
				t.Fatalf("stored %q (provider id %q, sent at %v); want %q with the provider's id", m.Status, m.ProviderID, m.SentAt, tc.want)
			}
			if len(f.net.Sent()) != 1 {
				t.Fatalf("the text was sent again: %d at the network", len(f.net.Sent()))
			}
			if tc.want == api.StatusUndelivered && !strings.Contains(m.Error, "undelivered") {
				t.Fatalf("error %q: want the provider's word", m.Error)
			}
		})
	}
}

// TestLateCreateSentOnce: the provider finishes creating a text after our
// call gave up on it. The lookup waits UnsureWait, so it finds the text
// rather than send it a second time.
//
// The margins are wide for a loaded machine: the create lands 100 ms
// after the call gave up and the lookup waits 1 s; the control's lookup
// comes 1 ms after the text is recorded unsure, the create 2 s after the
// call gave up (a lookup later than that finds it and sends once).
func TestLateCreateSentOnce(t *testing.T) {
	for _, tc := range []struct {
		name   string
		wait   time.Duration
		lateBy time.Duration
		sends  int // 0: more than one
	}{
		{"looked up after the create lands", time.Second, 100 * time.Millisecond, 1},
		// The control: looking it up too soon sends it twice, which is
		// what the wait is for.
		{"looked up too soon", time.Millisecond, 2 * time.Second, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixtureWith(t, fixtureOpts{log: zerolog.Nop(), unsureWait: tc.wait})
			_, c, _, b := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
			f.faults.mu.Lock()
			f.faults.lateBy = tc.lateBy
			f.faults.mu.Unlock()
			res, id := sendInitial(t, c, b.Assigned[0].ContactID)
			wantApplied(t, res)
			f.drain()
			if tc.sends == 0 {
				// Both creates are late: wait for the second to land.
				for deadline := time.Now().Add(10 * time.Second); len(f.net.Sent()) < 2; time.Sleep(5 * time.Millisecond) {
					if time.Now().After(deadline) {
						t.Fatalf("the network holds %d texts 10 s after the lookup; want more than one", len(f.net.Sent()))
					}
				}
				return
			}
			time.Sleep(tc.lateBy + 200*time.Millisecond) // a second create, if any, lands
			if n := len(f.net.Sent()); n != tc.sends {
				t.Fatalf("the network holds %d texts, want %d", n, tc.sends)
			}
			if m := messageStatus(t, f, id); m.Status != api.StatusSent || m.ProviderID == "" {
				t.Fatalf("stored %q provider id %q; want sent with the late text's id", m.Status, m.ProviderID)
			}
		})
	}
}
