package server_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// failingOptOuts is a store whose transactions fail the nth AddOptOuts
// call (counting from 1): an import that breaks after its first batch.
type failingOptOuts struct {
	store.Store
	nth, calls int
	// watch is a number of the first batch; markedBefore says its thread
	// was opted out inside the transaction when the failure came, so the
	// test sees a rollback of work done, not work never begun.
	watch, org   string
	markedBefore bool
}

var errInjected = errors.New("injected failure")

func (s *failingOptOuts) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.Store.Update(ctx, func(tx store.Tx) error { return fn(failingOptOutsTx{Tx: tx, s: s}) })
}

type failingOptOutsTx struct {
	store.Tx
	s *failingOptOuts
}

func (t failingOptOutsTx) AddOptOuts(ctx context.Context, orgID string, outs []store.PhoneAt, reason, file string) error {
	t.s.calls++
	if t.s.calls == t.s.nth {
		ths, err := t.ThreadsByPhone(ctx, t.s.org, t.s.watch)
		t.s.markedBefore = err == nil && len(ths) > 0 && ths[0].OptedOut
		return errInjected
	}
	return t.Tx.AddOptOuts(ctx, orgID, outs, reason, file)
}

// TestImportOptOutsAllOrNothingAcrossBatches: an import longer than one
// batch that fails in its second batch leaves nothing changed, including
// the first batch's work: no opt-out stored, the queued text to a number
// of the first batch still queued, its thread not opted out.
func TestImportOptOutsAllOrNothingAcrossBatches(t *testing.T) {
	h := &heldClaims{} // the queued text stays queued: the provider is busy
	h.held.Store(true)
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store { h.Store = st; return h }})
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	_, u := f.member("vera", cf)
	ids := storeFirstTexts(f, cf, u, sendingNumber(f, cf, u), api.StatusQueued)

	// The contact first, so it is in the first batch; then enough more
	// numbers for a second one (the import takes 2,000 at a time).
	var csv strings.Builder
	csv.WriteString("Phone\n" + cf.contacts[0].Phone + "\n")
	for i := range 2500 {
		fmt.Fprintf(&csv, "+1212555%04d\n", i)
	}
	failing := &failingOptOuts{Store: f.st, nth: 2, watch: cf.contacts[0].Phone, org: f.org.ID}
	_, err := f.organizer(failing).ImportOptOuts(context.Background(), server.OptOutImportRequest{
		Org: f.org.Name, CSV: strings.NewReader(csv.String()), Source: "national.csv"})
	if !errors.Is(err, errInjected) {
		t.Fatalf("import: %v, want the injected failure", err)
	}
	if failing.calls != 2 || !failing.markedBefore {
		t.Fatalf("AddOptOuts called %d times (want 2), first batch's thread marked before the failure: %v (want true)",
			failing.calls, failing.markedBefore)
	}
	var got []store.OptOut
	f.view(func(tx store.Tx) error {
		return tx.EachOptOut(context.Background(), f.org.ID, func(o store.OptOut) error { got = append(got, o); return nil })
	})
	if len(got) != 0 {
		t.Fatalf("%d opt-outs stored after a failed import, want none", len(got))
	}
	if m := messageStatus(t, f, ids[0]); m.Status != api.StatusQueued {
		t.Fatalf("the text to the first batch's number is %s, want still queued", m.Status)
	}
	f.view(func(tx store.Tx) error {
		ths, err := tx.ThreadsByPhone(context.Background(), f.org.ID, cf.contacts[0].Phone)
		for _, th := range ths {
			if th.OptedOut {
				t.Errorf("thread %s opted out after a failed import", th.ID)
			}
		}
		return err
	})
}
