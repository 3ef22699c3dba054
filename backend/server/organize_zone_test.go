package server_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestImportRefusesNumbersWithNoTimeZone: a number whose time zone is not
// known (+800 freephone) could never be inside an action's texting hours,
// so importing it is refused, naming the line, rather than holding it
// back "until their morning" forever. Under whole-day hours it is fine.
func TestImportRefusesNumbersWithNoTimeZone(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	res, err := o.CreateCampaign(ctx, parseFile(t, orgFile))
	if err != nil {
		t.Fatal(err)
	}
	actionID := res.Actions[0].ID
	csv := "First Name,Last Name,Cell Phone,Precinct\nAda,L,2125550101,1\nFree,Phone,+800 1234 5678,2\n"
	_, err = o.ImportContacts(ctx, server.ImportRequest{ActionID: actionID, CSV: strings.NewReader(csv)})
	var ie *server.ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Line != 3 || ie.Problems[0].Column != "Cell Phone" ||
		!strings.Contains(ie.Problems[0].Msg, "+80012345678 cannot be texted: no time zone is known for it, so the texting hours (9 AM–9 PM) could never be kept (only texting_hours 00:00-24:00 texts it)") {
		t.Fatalf("import with a +800 number: %v", err)
	}
	count := func() int {
		var n int
		f.view(func(tx store.Tx) error {
			var err error
			n, err = tx.CountContacts(ctx, actionID)
			return err
		})
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("a refused import stored %d contacts", n)
	}
	got, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: actionID, CSV: strings.NewReader(csv), SkipInvalid: true})
	if err != nil || got.Imported != 1 || got.Invalid != 1 || count() != 1 {
		t.Fatalf("import skipping invalid rows: %+v %v", got, err)
	}

	// Texting all day: no zone needs knowing.
	allDay := strings.Replace(orgFile, "  - title: GOTV\n", "  - title: GOTV\n    texting_hours: {start: \"00:00\", end: \"24:00\"}\n", 1)
	allDay = strings.Replace(allDay, `"777777"`, `"777778"`, 1)
	allDay = strings.Replace(allDay, "Round Trip", "All Day", 1)
	res2, err := o.CreateCampaign(ctx, parseFile(t, allDay))
	if err != nil {
		t.Fatal(err)
	}
	got, err = o.ImportContacts(ctx, server.ImportRequest{ActionID: res2.Actions[0].ID, CSV: strings.NewReader(csv)})
	if err != nil || got.Imported != 2 {
		t.Fatalf("whole-day import: %+v %v", got, err)
	}
}

// TestHandOutOfNumbersWithNoTimeZone: contacts with no known time zone
// already in the pool (loaded before the import refused them) are not
// "held back until their morning": a hand-out leaves them out of the
// count held back, and one that finds only them says why, once.
func TestHandOutOfNumbersWithNoTimeZone(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 0, numbers: 1, phones: []string{"+80012345678", "+80012345679"}})
	c, _ := f.member("vera", cf)
	_, err := c.Batch(ctx, cf.action.ID)
	ae := wantAPIError(t, err, http.StatusConflict, api.CodeUnfillable)
	if !strings.Contains(ae.Err.Message, "the 2 left looked at have numbers with no known time zone, or in time zones the texting hours (9 AM–9 PM) never cover at once, so those hours can never be kept") {
		t.Fatalf("hand-out of only no-zone numbers: %q", ae.Err.Message)
	}

	// Numbers in two zones a half-hour window never covers at once (South
	// Dakota: Chicago and Denver) are not "held back until their morning"
	// either: no morning comes.
	narrow := f.campaign(campaignOpts{name: "Narrow", contacts: 0, numbers: 1, phones: []string{"+16055550101", "+16055550102"},
		hours: store.TextingHours{Start: "09:00", End: "09:30"}})
	c3, _ := f.member("nell", narrow)
	_, err = c3.Batch(ctx, narrow.action.ID)
	ae = wantAPIError(t, err, http.StatusConflict, api.CodeUnfillable)
	if !strings.Contains(ae.Err.Message, "the 2 left looked at") || strings.Contains(ae.Err.Message, "morning") {
		t.Fatalf("hand-out of only never-open numbers: %q", ae.Err.Message)
	}

	// With a contact who can be texted beside them, the batch has that one
	// and holds back nobody.
	mixed := f.campaign(campaignOpts{contacts: 2, numbers: 1, phones: []string{"+80012345670"}})
	c2, _ := f.member("walt", mixed)
	b, err := c2.Batch(ctx, mixed.action.ID)
	if err != nil || len(b.Assigned) != 1 || b.HeldBack != 0 {
		t.Fatalf("mixed pool: %+v %v; want the one reachable contact, none held back", b, err)
	}
}
