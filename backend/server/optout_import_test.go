package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/contactcsv"
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
	// The file apart too, which the Admin section names.
	f.view(func(tx store.Tx) error {
		o, err := tx.OptOutOf(context.Background(), f.org.ID, cf.contacts[0].Phone)
		if err != nil || o.ImportedFrom != "old-tool.csv" {
			t.Errorf("the import's opt-out %+v (%v), want imported from old-tool.csv", o, err)
		}
		return nil
	})

	// Again: already opted out, counted, nothing new.
	res, err = f.organizer(f.st).ImportOptOuts(context.Background(), server.OptOutImportRequest{
		Org: f.org.ID, CSV: strings.NewReader(csv), Source: "old-tool.csv"})
	if err != nil || res.Added != 0 || res.AlreadyOptedOut != 1 {
		t.Fatalf("import again: %+v %v", res, err)
	}
}

// TestImportedOptOutsKeepTheirTimes: moved from another tool, a list's time
// column is each opt-out's time (the export's opted_out_at), a row without
// one gets the import's. A time not read refuses the file, naming its
// line, and stores nothing; with --skip-invalid its number is opted out all
// the same, as of the import: a person who asked not to be texted is never
// left out for a date. Times are counted for the numbers opted out, not
// for those skipped as already opted out.
func TestImportedOptOutsKeepTheirTimes(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 3})
	p := func(i int) string { return cf.contacts[i].Phone }
	csv := "Cell,Opted Out At\n" + p(0) + ",2025-06-01 09:30\n" + p(1) + ",\n" + p(2) + ",2025-13-45\n"
	imp := func(skip bool) (server.OptOutImportResult, error) {
		return f.organizer(f.st).ImportOptOuts(context.Background(), server.OptOutImportRequest{
			Org: f.org.Name, CSV: strings.NewReader(csv), Source: "spoke.csv", SkipInvalid: skip})
	}
	optOuts := func() map[string]store.OptOut {
		got := map[string]store.OptOut{}
		f.view(func(tx store.Tx) error {
			return tx.EachOptOut(context.Background(), f.org.ID, func(o store.OptOut) error { got[o.Phone] = o; return nil })
		})
		return got
	}

	_, err := imp(false)
	want := "1 row has a time that is not read; nothing was imported (fix them, or pass --skip-invalid to opt those numbers out as of now)\n" +
		`  line 4, column "Opted Out At": "2025-13-45" is not a date and time Textbank reads`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("import with a bad time: %v, want %q", err, want)
	}
	if got := optOuts(); len(got) != 0 {
		t.Fatalf("a refused import stored %+v", got)
	}

	res, err := imp(true)
	if err != nil || res.Added != 3 || res.TimesFrom != "Opted Out At" || res.BadTimes != 1 || res.NoTimes != 1 ||
		len(res.BadTimeLines) != 1 || !strings.HasPrefix(res.BadTimeLines[0], "line 4, ") {
		t.Fatalf("import --skip-invalid: %+v %v", res, err)
	}
	got := optOuts()
	for phone, at := range map[string]time.Time{p(0): time.Date(2025, 6, 1, 9, 30, 0, 0, time.UTC), p(1): baseTime, p(2): baseTime} {
		if !got[phone].CreatedAt.Equal(at) {
			t.Errorf("opt-out of %s at %v, want %v", phone, got[phone].CreatedAt, at)
		}
	}
	// Imported again, every number is already opted out and keeps its
	// time: none is opted out as of now, so no time is counted not read
	// or empty (the summary said "1 not read and 1 empty, opted out as
	// of now" beside "already opted out: 3 skipped").
	res, err = imp(true)
	if err != nil || res.Added != 0 || res.AlreadyOptedOut != 3 || res.BadTimes != 0 || res.NoTimes != 0 || len(res.BadTimeLines) != 0 {
		t.Fatalf("import again: %+v %v; want 3 already opted out, no time counted", res, err)
	}

	// The export's list is one the import reads, with its times: moving
	// opt-outs to another organization or server keeps their dates.
	var export strings.Builder
	if _, err := f.organizer(f.st).ExportOptOuts(context.Background(), f.org.Name, &export); err != nil {
		t.Fatal(err)
	}
	back, err := contactcsv.Read(strings.NewReader(export.String()), contactcsv.Options{NumbersOnly: true})
	if err != nil || back.Columns[contactcsv.OptedOutAtColumn] == "" || len(back.BadTimes) != 0 || len(back.Rows) != len(got) {
		t.Fatalf("the export read as an opt-out list: %+v %v\n%s", back, err, export.String())
	}
	for _, r := range back.Rows {
		if !r.OptedOutAt.Equal(got[r.Phone].CreatedAt) {
			t.Errorf("exported opt-out of %s read back at %v, want %v", r.Phone, r.OptedOutAt, got[r.Phone].CreatedAt)
		}
	}
}

// TestOptOutListRefusedForNumbersAndTimes: a file with both kinds of bad
// row names both, in line order, and says what --skip-invalid does to each.
func TestOptOutListRefusedForNumbersAndTimes(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 2})
	csv := "phone,date\n" + cf.contacts[0].Phone + ",tomorrow\nnot a number,2025-01-01\n" + cf.contacts[1].Phone + ",1/2/2025\n"
	_, err := f.organizer(f.st).ImportOptOuts(context.Background(), server.OptOutImportRequest{
		Org: f.org.Name, CSV: strings.NewReader(csv), Source: "x.csv"})
	want := "1 row is not valid and 1 row has a time that is not read; nothing was imported (fix them, or pass --skip-invalid " +
		"to opt those numbers out as of now and leave out the row that is not valid)\n" +
		`  line 2, column "date": "tomorrow" is not a date` + "|" + `  line 3, column "phone": "not a number" is not a valid phone number`
	lines := strings.Split(fmt.Sprint(err), "\n")
	if len(lines) != 3 || lines[0] != strings.Split(want, "\n")[0] || !strings.HasPrefix(lines[1], strings.Split(strings.Split(want, "\n")[1], "|")[0]) ||
		!strings.HasPrefix(lines[2], strings.Split(want, "|")[1]) {
		t.Fatalf("refusal:\n%v\nwant:\n%s", err, want)
	}
}
