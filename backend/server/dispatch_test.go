package server_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// faultyProvider is the simulated network with refusals on demand: the
// answers a real provider gives (busy, unsure, refused, cannot look up).
type faultyProvider struct {
	sms.Provider
	mu         sync.Mutex
	sendErrs   map[string][]error // by To: the next Sends' errors, in turn
	lookupErrs map[string]error   // by To
	sameID     string             // when set, every Send answers this provider id
	gate       chan struct{}      // when set, every Send waits for it to close
	delay      time.Duration      // every Send takes this long
	lateBy     time.Duration      // when set, every Send times out and the text is created this much later
	calls      int                // Sends
	callsTo    map[string]int     // Sends by To
}

// hold makes every Send wait until the returned gate is closed.
func (p *faultyProvider) hold() chan struct{} {
	gate := make(chan struct{})
	p.mu.Lock()
	p.gate = gate
	p.mu.Unlock()
	return gate
}

// waitCalls waits until n Sends have begun.
func (p *faultyProvider) waitCalls(t *testing.T, n int) {
	t.Helper()
	calls := func() int {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.calls
	}
	deadline := time.Now().Add(10 * time.Second)
	for calls() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d provider calls began, want %d", calls(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (p *faultyProvider) failSends(to string, errs ...error) {
	p.mu.Lock()
	p.sendErrs[to] = append(p.sendErrs[to], errs...)
	p.mu.Unlock()
}

func (p *faultyProvider) Send(ctx context.Context, m sms.Outbound) (string, error) {
	p.mu.Lock()
	p.calls++
	if p.callsTo == nil {
		p.callsTo = map[string]int{}
	}
	p.callsTo[m.To]++
	if gate := p.gate; gate != nil {
		p.mu.Unlock()
		select {
		case <-gate:
		case <-ctx.Done(): // as an HTTP call gives up
			return "", ctx.Err()
		}
		p.mu.Lock()
	}
	if errs := p.sendErrs[m.To]; len(errs) > 0 {
		p.sendErrs[m.To] = errs[1:]
		p.mu.Unlock()
		return "", errs[0]
	}
	same, delay, late := p.sameID, p.delay, p.lateBy
	p.mu.Unlock()
	if late > 0 {
		// As a provider still working on a create when the call gave up;
		// Twilio knows no idempotency key, so each such create is a text.
		m.IdempotencyKey = ""
		time.AfterFunc(late, func() { _, _ = p.Provider.Send(context.Background(), m) })
		return "", context.DeadlineExceeded
	}
	time.Sleep(delay)
	id, err := p.Provider.Send(ctx, m)
	if err == nil && same != "" {
		id = same
	}
	return id, err
}

func (p *faultyProvider) Lookup(ctx context.Context, m sms.Outbound, since time.Time) ([]sms.Sent, error) {
	p.mu.Lock()
	err := p.lookupErrs[m.To]
	p.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return p.Provider.Lookup(ctx, m, since)
}

func messageStatus(t *testing.T, f *fixture, id string) store.Message {
	t.Helper()
	var m store.Message
	f.view(func(tx store.Tx) error {
		var err error
		m, err = tx.MessageByID(context.Background(), id)
		return err
	})
	return m
}

func TestDispatchProviderAnswers(t *testing.T) {
	f := newFixture(t)
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 5, numbers: 1})
	busy := &sms.Error{Code: "20429", Message: "Too Many Requests", Retry: true}
	tests := []struct {
		name       string
		errs       []error
		wantStatus string
		wantError  string
		wantSends  int
		optedOut   bool
	}{
		{"busy twice, then sent", []error{busy, busy}, api.StatusSent, "", 1, false},
		{"refused with the provider's code", []error{&sms.Error{Code: "21211", Message: "Invalid 'To' Phone Number"}}, api.StatusFailed, "error 21211: Invalid 'To' Phone Number", 0, false},
		{"unsubscribed opts the number out", []error{&sms.Error{Code: sms.CodeUnsubscribed, Message: "Attempt to send to unsubscribed recipient"}}, api.StatusFailed, "21610", 0, true},
		{"always busy fails in the end", []error{busy, busy, busy, busy, busy}, api.StatusFailed, "busy", 0, false},
		{"silent, and not there: sent once", []error{&sms.Error{Message: "timeout", Unsure: true}}, api.StatusSent, "", 1, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := b.Assigned[i]
			f.faults.failSends(a.Phone, tt.errs...)
			res, msgID := sendInitial(t, c, a.ContactID)
			wantApplied(t, res)
			sends := 0
			for _, s := range f.sent() {
				if s.To == a.Phone {
					sends++
				}
			}
			m := messageStatus(t, f, msgID)
			if m.Status != tt.wantStatus || sends != tt.wantSends || (tt.wantError != "" && !strings.Contains(m.Error, tt.wantError)) {
				t.Fatalf("status %q error %q, %d sends; want %q %q, %d", m.Status, m.Error, sends, tt.wantStatus, tt.wantError, tt.wantSends)
			}
			state := syncState{}
			syncAll(t, c, state, 0, 0)
			msgs := state.messages(t, a.ContactID)
			if msgs[0].Status != tt.wantStatus || msgs[0].Error != m.Error {
				t.Fatalf("the volunteer sees %+v", msgs[0])
			}
			if th := state.thread(t, a.ContactID); th.OptedOut != tt.optedOut {
				t.Fatalf("opted out = %v, want %v", th.OptedOut, tt.optedOut)
			}
		})
	}
}

// TestDispatchProviderReusesID: a provider answering one id for several
// texts (the batch's single statement is refused by the unique index) still
// gets every text recorded sent, the id kept by one of them.
func TestDispatchProviderReusesID(t *testing.T) {
	f := newFixture(t)
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 4, numbers: 1})
	f.faults.mu.Lock()
	f.faults.sameID = "SMsame"
	f.faults.mu.Unlock()
	var ids []string
	for _, a := range b.Assigned {
		res, msgID := sendInitial(t, c, a.ContactID)
		wantApplied(t, res)
		ids = append(ids, msgID)
	}
	f.drain()
	holders := 0
	for _, id := range ids {
		m := messageStatus(t, f, id)
		if m.Status != api.StatusSent {
			t.Fatalf("message %s is %q, want sent", id, m.Status)
		}
		if m.ProviderID == "SMsame" {
			holders++
		}
	}
	if holders != 1 {
		t.Fatalf("%d texts hold the reused provider id, want 1", holders)
	}
}

// TestCrashRecovery leaves texts "sending" as a crash between recording
// sending and hearing the provider would, then starts a dispatcher.
func TestCrashRecovery(t *testing.T) {
	logs := &logLines{}
	f := newFixtureWith(t, fixtureOpts{log: zerolog.New(logs)})
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	_, u := f.member("vera", cf)
	number := sendingNumber(f, cf, u)
	// The first went out before the crash; the provider cannot answer for
	// the third. Both are so before the texts exist: the fixture's own
	// dispatcher, when its start is slow, recovers them as well.
	sentID, err := f.net.Send(ctx, sms.Outbound{From: number, To: cf.contacts[0].Phone, Body: "Hi " + cf.contacts[0].FirstName})
	if err != nil {
		t.Fatal(err)
	}
	f.faults.mu.Lock()
	f.faults.lookupErrs[cf.contacts[2].Phone] = errors.New("provider API unreachable")
	f.faults.mu.Unlock()
	ids := storeFirstTexts(f, cf, u, number, api.StatusSending)

	recoverWith(t, f, f.faults, zerolog.New(logs))
	want := []struct {
		status, providerID string
		sends              int
	}{{api.StatusSent, sentID, 1}, {api.StatusSent, "", 1}, {api.StatusUnknown, "", 0}}
	sent := f.sent()
	for i, w := range want {
		m := messageStatus(t, f, ids[i])
		sends := 0
		for _, s := range sent {
			if s.To == cf.contacts[i].Phone {
				sends++
			}
		}
		if m.Status != w.status || sends != w.sends || (w.providerID != "" && m.ProviderID != w.providerID) {
			t.Errorf("text %d: status %s provider id %s, %d sends; want %s %s, %d", i, m.Status, m.ProviderID, sends, w.status, w.providerID, w.sends)
		}
	}
	// Each text looked up is named in the log by its own field.
	named := logsNaming(t, logs, "text left sending")
	for _, id := range ids {
		if !named[id] {
			t.Errorf("no \"text left sending\" log line has message_id %s; lines naming texts: %v", id, named)
		}
	}
}

func TestStatusCallbacks(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
	_, msgID := sendInitial(t, c, b.Assigned[0].ContactID)
	f.drain()
	pid := messageStatus(t, f, msgID).ProviderID
	steps := []struct {
		update     sms.StatusUpdate
		wantStatus string
		wantErr    error
	}{
		{sms.StatusUpdate{ProviderID: pid, Status: sms.StatusDelivered}, api.StatusDelivered, nil},
		{sms.StatusUpdate{ProviderID: pid, Status: sms.StatusSent}, api.StatusDelivered, nil}, // late: no step back
		{sms.StatusUpdate{ProviderID: "SMnope", Status: sms.StatusDelivered}, api.StatusDelivered, sms.ErrUnknownMessage},
		{sms.StatusUpdate{ProviderID: pid, Status: "teleported"}, api.StatusDelivered, nil},
	}
	for i, s := range steps {
		err := f.srv.UpdateStatus(ctx, s.update)
		if s.wantErr != nil && !errors.Is(err, s.wantErr) {
			t.Fatalf("step %d: err %v, want %v", i, err, s.wantErr)
		}
		if got := messageStatus(t, f, msgID).Status; got != s.wantStatus {
			t.Fatalf("step %d: status %s, want %s", i, got, s.wantStatus)
		}
	}
	if err := f.srv.UpdateStatus(ctx, sms.StatusUpdate{ProviderID: pid, Status: "teleported"}); err == nil {
		t.Fatal("an unknown status was accepted")
	}
}

// TestGroupCommitIsolatesFailures: concurrent pushes committed together each
// get their own result.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 12, batch: 12, numbers: 1})
	var wg sync.WaitGroup
	results := make([]api.MutationResult, len(b.Assigned))
	for i, a := range b.Assigned {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: a.ContactID, MessageID: uuid.NewString()}
			if i%3 == 0 {
				m.ContactID = "no-such-contact" // rejected: a result, stored
			}
			resp, err := c.PushMutations(ctx, []api.Mutation{m})
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = resp.Results[0]
		}()
	}
	wg.Wait()
	for i, r := range results {
		if (i%3 == 0) != (r.Status == api.ResultRejected) {
			t.Fatalf("result %d = %+v", i, r)
		}
	}
	if n := len(f.sent()); n != 8 {
		t.Fatalf("%d texts sent, want 8", n)
	}
}

// sendingNumber is u's number in cf's campaign.
func sendingNumber(f *fixture, cf campaignFix, u api.User) string {
	var number string
	f.view(func(tx store.Tx) error {
		var err error
		number, err = tx.SendingNumber(context.Background(), cf.campaign.ID, u.ID)
		return err
	})
	return number
}

// storeFirstTexts stores, as sends would have, a thread of u's from number
// and a first text in status for each of cf's contacts, and returns the
// texts' ids in the contacts' order.
func storeFirstTexts(f *fixture, cf campaignFix, u api.User, number, status string) []string {
	ctx := context.Background()
	ids := make([]string, len(cf.contacts))
	f.update(func(tx store.Tx) error {
		for i, ct := range cf.contacts {
			th := store.Thread{ID: ct.ID, ActionID: cf.action.ID, CampaignID: cf.campaign.ID, OrganizationID: f.org.ID,
				OwnerID: u.ID, ContactPhone: ct.Phone, SendingNumber: number, LastMessageAt: baseTime, CreatedAt: baseTime}
			if err := tx.CreateThread(ctx, th); err != nil {
				return err
			}
			ids[i] = uuid.NewString()
			if err := tx.CreateMessage(ctx, store.Message{ID: ids[i], ThreadID: ct.ID, Direction: api.DirOutbound,
				Body: "Hi " + ct.FirstName, Status: status, Initial: true, SenderID: u.ID, CreatedAt: baseTime}); err != nil {
				return err
			}
		}
		return nil
	})
	return ids
}
