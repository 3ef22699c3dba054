package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestImportedOptOutIsAnOptOut: a number opted out by an import from
// another tool is opted out as a STOP is: its queued text is not sent, its
// thread shows it opted out in the volunteer's app, and the opt-out records
// that it was imported. The other contact is left alone.
func TestImportedOptOutIsAnOptOut(t *testing.T) {
	h := &heldClaims{}
	h.held.Store(true)
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store { h.Store = st; return h }})
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, u := f.member("vera", cf)
	ids := storeFirstTexts(f, cf, u, sendingNumber(f, cf, u), api.StatusQueued)
	state := syncState{}
	syncAll(t, c, state, 0, 0)

	csv := "Phone,Name\n" + cf.contacts[0].Phone + ",Ada\n"
	res, err := f.organizer(f.st).ImportOptOuts(context.Background(), server.OptOutImportRequest{
		Org: f.org.Name, CSV: strings.NewReader(csv), Source: "old-tool.csv"})
	if err != nil || res.Added != 1 || res.AlreadyOptedOut != 0 {
		t.Fatalf("import: %+v %v", res, err)
	}
	if m := messageStatus(t, f, ids[0]); m.Status != api.StatusFailed || m.Error == "" {
		t.Fatalf("the text to the imported number is %s (%q), want failed with a reason", m.Status, m.Error)
	}
	if m := messageStatus(t, f, ids[1]); m.Status != api.StatusQueued {
		t.Fatalf("the other text is %s, want still queued", m.Status)
	}
	syncAll(t, c, state, 0, 0)
	if th := state.thread(t, cf.contacts[0].ID); !th.OptedOut {
		t.Fatalf("the volunteer's app shows the thread %+v, want opted out", th)
	}
	var got []store.OptOut
	f.view(func(tx store.Tx) error {
		return tx.EachOptOut(context.Background(), f.org.ID, func(o store.OptOut) error { got = append(got, o); return nil })
	})
	if len(got) != 1 || got[0].Phone != cf.contacts[0].Phone || got[0].Reason != "imported from old-tool.csv" {
		t.Fatalf("opt-outs %+v", got)
	}

	// Again: already opted out, counted, nothing new.
	res, err = f.organizer(f.st).ImportOptOuts(context.Background(), server.OptOutImportRequest{
		Org: f.org.ID, CSV: strings.NewReader(csv), Source: "old-tool.csv"})
	if err != nil || res.Added != 0 || res.AlreadyOptedOut != 1 {
		t.Fatalf("import again: %+v %v", res, err)
	}
}
