package server_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// heldClaims keeps the dispatcher's claims empty while held: texts stay
// queued, as behind a backlog or a busy provider.
type heldClaims struct {
	store.Store
	held atomic.Bool
}

func (h *heldClaims) UpdateEach(ctx context.Context, fns []func(store.Tx) error) ([]error, error) {
	wrapped := make([]func(store.Tx) error, len(fns))
	for i, fn := range fns {
		wrapped[i] = func(tx store.Tx) error { return fn(noClaimTx{Tx: tx, h: h}) }
	}
	return h.Store.UpdateEach(ctx, wrapped)
}

type noClaimTx struct {
	store.Tx
	h *heldClaims
}

func (n noClaimTx) ClaimQueued(ctx context.Context, limit int, feedKind string, at time.Time, got func([]store.Outgoing)) error {
	if n.h.held.Load() {
		got(nil)
		return nil
	}
	return n.Tx.ClaimQueued(ctx, limit, feedKind, at, got)
}

// TestOptOutCancelsQueuedTexts: an opt-out that arrives while a text to
// the number is still queued keeps it from going out (failed, with words
// for the volunteer, in their feed); other texts go out as before.
func TestOptOutCancelsQueuedTexts(t *testing.T) {
	h := &heldClaims{}
	h.held.Store(true)
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store { h.Store = st; return h }})
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, u := f.member("vera", cf)
	ids := storeFirstTexts(f, cf, u, sendingNumber(f, cf, u), api.StatusQueued)
	// The volunteer's report opts the first contact out.
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: cf.contacts[0].ID,
		ReportID: uuid.NewString(), Values: map[string]string{"opt_out": "true"}}))
	if m := messageStatus(t, f, ids[0]); m.Status != api.StatusFailed || m.Error == "" {
		t.Fatalf("the text to the opted-out number is %s (%q), want failed with a reason", m.Status, m.Error)
	}
	if m := messageStatus(t, f, ids[1]); m.Status != api.StatusQueued {
		t.Fatalf("the other text is %s, want still queued", m.Status)
	}
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	for _, m := range state.messages(t, cf.contacts[0].ID) {
		if m.ID == ids[0] && (m.Status != api.StatusFailed || m.Error == "") {
			t.Fatalf("the volunteer's app shows the cancelled text as %s (%q), want failed with the reason", m.Status, m.Error)
		}
	}
	h.held.Store(false)
	f.drain()
	f.faults.mu.Lock()
	calls := f.faults.callsTo
	f.faults.mu.Unlock()
	if calls[cf.contacts[0].Phone] != 0 || calls[cf.contacts[1].Phone] != 1 {
		t.Fatalf("provider calls %v, want the second contact's only", calls)
	}
	if m := messageStatus(t, f, ids[0]); m.Status != api.StatusFailed {
		t.Fatalf("the cancelled text is %s after the dispatcher ran, want still failed", m.Status)
	}
}

// TestOptOutStopsARetry: a text the provider was too busy to take is not
// tried again once its number has opted out meanwhile.
func TestOptOutStopsARetry(t *testing.T) {
	f := newFixture(t)
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
	to := b.Assigned[0].Phone
	f.faults.failSends(to, &sms.Error{Code: "20429", Message: "Too Many Requests", Retry: true})
	gate := f.faults.hold()
	res, id := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	f.faults.waitCalls(t, 1)
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: b.Assigned[0].ContactID,
		ReportID: uuid.NewString(), Values: map[string]string{"opt_out": "true"}}))
	close(gate) // the first call answers busy
	f.drain()
	if m := messageStatus(t, f, id); m.Status != api.StatusFailed || m.Error == "" {
		t.Fatalf("the text is %s (%q), want failed: its number opted out before it was tried again", m.Status, m.Error)
	}
	f.faults.mu.Lock()
	defer f.faults.mu.Unlock()
	if n := f.faults.callsTo[to]; n != 1 {
		t.Fatalf("%d provider calls, want the first only", n)
	}
}
