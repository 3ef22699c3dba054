package server_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestOptOutImportTiming measures an opt-out import of 100,000 numbers of
// which 3,000 have a conversation with a text still queued, on whichever
// engine the tests run (TEXTBANK_TEST_POSTGRES for PostgreSQL). It runs
// only with TEXTBANK_OPTOUT_IMPORT_TIMING=1: the setup takes a while and
// the figure is for docs/PERFORMANCE.md, not a pass/fail limit.
func TestOptOutImportTiming(t *testing.T) {
	if os.Getenv("TEXTBANK_OPTOUT_IMPORT_TIMING") == "" {
		t.Skip("set TEXTBANK_OPTOUT_IMPORT_TIMING=1 to time a 100,000-number opt-out import")
	}
	const n, withThreads = 100_000, 3_000
	h := &heldClaims{} // texts stay queued, as behind a busy provider
	h.held.Store(true)
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store { h.Store = st; return h }})
	cf := f.campaign(campaignOpts{contacts: withThreads, numbers: 1})
	_, u := f.member("vera", cf)
	ids := storeFirstTexts(f, cf, u, sendingNumber(f, cf, u), api.StatusQueued)

	var csv strings.Builder
	csv.WriteString("Phone\n")
	for _, ct := range cf.contacts {
		csv.WriteString(ct.Phone + "\n")
	}
	for i := range n - withThreads {
		fmt.Fprintf(&csv, "+1303%07d\n", 2000000+i)
	}
	start := time.Now()
	res, err := f.organizer(f.st).ImportOptOuts(context.Background(), server.OptOutImportRequest{
		Org: f.org.Name, CSV: strings.NewReader(csv.String()), Source: "national.csv"})
	elapsed := time.Since(start)
	if err != nil || res.Rows != n || res.Added+res.Duplicates != n {
		t.Fatalf("import: %+v %v", res, err)
	}
	for _, id := range []string{ids[0], ids[len(ids)/2], ids[len(ids)-1]} {
		if m := messageStatus(t, f, id); m.Status != api.StatusFailed {
			t.Fatalf("text %s is %s after the import, want failed", id, m.Status)
		}
	}
	t.Logf("engine postgres=%v: %d numbers (%d with a queued text) imported in %.2f s",
		os.Getenv("TEXTBANK_TEST_POSTGRES") != "", n, withThreads, elapsed.Seconds())
}
