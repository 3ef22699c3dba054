package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// shownFile's scripts use {precinct}; it lists party to be shown and
// declares dob, which no script uses and nobody chose to show.
const shownFile = `
organization: Test Org
campaign: {name: Shown, join_code: "777777", admins: [admin@example.org]}
actions:
  - title: GOTV
    contact_fields: [precinct, party, dob]
    shown_fields: [party]
    scripts: ["Hi {first_name}, precinct {precinct|unknown}. Will you vote?"]
    response_scripts:
      - {id: ward, label: Ward, body: "Your ward is {ward|not known}."}
`

// shownSetUp is the set-up of the tests of which contact columns reach
// whom: file's campaign (join code 777777) with a sending number, csv
// imported into its one action, and vera joined with a batch of n
// contacts.
type shownSetUp struct {
	res  server.CampaignResult
	imp  server.ImportResult
	vera *api.Client
	b    api.BatchResponse
}

func setUpShown(t *testing.T, f *fixture, file, csv string, n int) shownSetUp {
	t.Helper()
	ctx := context.Background()
	o := f.organizer(f.st)
	res, err := o.CreateCampaign(ctx, parseFile(t, file))
	if err != nil {
		t.Fatal(err)
	}
	f.update(func(tx store.Tx) error { return tx.AddSendingNumber(ctx, res.CampaignID, "+12025550199", baseTime) })
	imp, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: res.Actions[0].ID, CSV: strings.NewReader(csv)})
	if err != nil {
		t.Fatal(err)
	}
	vera, _ := f.user("vera")
	if _, err := vera.Join(ctx, "777777"); err != nil {
		t.Fatal(err)
	}
	b, err := vera.Batch(ctx, res.Actions[0].ID)
	if err != nil || len(b.Assigned) != n {
		t.Fatalf("batch %+v %v, want %d contacts", b, err, n)
	}
	return shownSetUp{res: res, imp: imp, vera: vera, b: b}
}

// TestVolunteersSeeOnlyTheColumnsTheyNeed: a contact's columns reach the
// volunteer's app (a batch, a sync, a read of contacts) only when a script
// uses them or the campaign file shows them; the others stay in the
// exports. An update that leaves shown_fields out of an action that shows
// some is refused, naming them; with shown_fields: [] what is handed or
// read from then on carries only what the scripts use.
func TestVolunteersSeeOnlyTheColumnsTheyNeed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	set := setUpShown(t, f, strings.Replace(shownFile, "[precinct, party, dob]", "[precinct, party, dob, ward]", 1),
		"First Name,Last Name,Cell Phone,Zip,Precinct,Party,DOB,Ward,Notes\n"+
			"Ada,Lovelace,(212) 555-0101,10001,12B,Green,1815-12-10,4,owes us a call\n"+
			"Alan,Turing,(212) 555-0102,10002,7A,Blue,1912-06-23,9,\n", 2)
	c, b, actionID := set.vera, set.b, set.res.Actions[0].ID
	if got := slices.Sorted(slices.Values(set.imp.NotShown)); !slices.Equal(got, []string{"dob", "notes"}) {
		t.Errorf("import says %v are not shown to volunteers, want [dob notes]", got)
	}
	want := []string{"party", "precinct", "ward", "zip"} // ward: a response script uses it
	for _, a := range b.Assigned {
		if got := slices.Sorted(maps.Keys(a.Fields)); !slices.Equal(got, want) {
			t.Errorf("batch: %s %s's fields %v, want %v", a.FirstName, a.LastName, got, want)
		}
	}
	page, err := c.Sync(ctx, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	synced := 0
	for _, ch := range page.Changes {
		if ch.Kind != api.KindAssignment {
			continue
		}
		var a api.Assignment
		if err := json.Unmarshal(ch.Data, &a); err != nil {
			t.Fatal(err)
		}
		synced++
		if got := slices.Sorted(maps.Keys(a.Fields)); !slices.Equal(got, want) {
			t.Errorf("sync: %s's fields %v, want %v", a.FirstName, got, want)
		}
	}
	if synced != 2 {
		t.Errorf("sync carried %d assignments, want 2", synced)
	}

	// An update written without shown_fields would hide party unseen.
	_, err = o.UpdateCampaign(ctx, parseFile(t, strings.Replace(
		strings.Replace(shownFile, "    shown_fields: [party]\n", "", 1), "title: GOTV", "id: "+actionID+"\n    title: GOTV", 1)))
	var problems campaignfile.Problems
	if !errors.As(err, &problems) || !strings.Contains(err.Error(), "shown_fields: [party] to keep them") {
		t.Fatalf("update leaving shown_fields out: %v, want a problem naming party", err)
	}
	up, err := o.UpdateCampaign(ctx, parseFile(t, strings.Replace(
		strings.Replace(shownFile, "shown_fields: [party]", "shown_fields: []", 1), "title: GOTV", "id: "+actionID+"\n    title: GOTV", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(up.Actions[0].Changes, "; "); !strings.Contains(got, "fields shown to volunteers: removed party") {
		t.Errorf("update's changes %q, want them to say party is no longer shown", got)
	}
	// The batch not yet texted comes again, by today's rule.
	want = []string{"precinct", "ward", "zip"}
	b, err = c.Batch(ctx, actionID)
	if err != nil || len(b.Assigned) != 2 {
		t.Fatalf("second batch %+v %v", b, err)
	}
	for _, a := range b.Assigned {
		if got := slices.Sorted(maps.Keys(a.Fields)); !slices.Equal(got, want) {
			t.Errorf("after shown_fields: [], %s's fields %v, want %v", a.FirstName, got, want)
		}
	}
	g := b.Assigned[0]
	sent, err := c.PushMutations(ctx, []api.Mutation{{ID: uuid.NewString(), Type: api.MutSendInitial,
		ActionID: actionID, ContactID: g.ContactID, MessageID: uuid.NewString(), CreatedAt: baseTime}})
	if err != nil || sent.Results[0].Status != api.ResultApplied {
		t.Fatalf("first text to %s: %+v %v", g.FirstName, sent, err)
	}
	read, err := c.Contacts(ctx, []string{g.ContactID})
	if err != nil || len(read.Contacts) != 1 {
		t.Fatalf("contacts read %+v %v", read, err)
	}
	if got := slices.Sorted(maps.Keys(read.Contacts[0].Fields)); !slices.Equal(got, want) {
		t.Errorf("contacts read: %s's fields %v, want %v", g.FirstName, got, want)
	}
}
