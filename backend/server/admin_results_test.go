package server_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// The Admin section's Results are `textbankd stats` for every action of the
// campaign: the same figures, from the same function, to its admins only.
func TestAdminResults(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 4, numbers: 1, scripts: []string{"Hi {first_name|friend}, will you vote?", "Hello {first_name|friend}!"}})
	c, assigned, from := texted(t, f, cf, 3)
	replyFrom(t, f, assigned[0], from, "Yes, I will")
	replyFrom(t, f, assigned[1], from, "STOP")
	f.drain()
	// What the reports say now: the first still Will vote after a second,
	// partial report; the third's Will vote taken back by a later one.
	report := func(a api.Assignment, values map[string]string) {
		t.Helper()
		f.clock.Advance(time.Second)
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: a.ContactID, ReportID: uuid.NewString(),
			CreatedAt: f.clock.Now(), Values: values}))
	}
	report(assigned[0], map[string]string{"will_vote": "true"})
	report(assigned[0], map[string]string{"support": "Undecided", "age": "40"})
	report(assigned[2], map[string]string{"will_vote": "true", "age": "30"})
	report(assigned[2], map[string]string{"will_vote": "false", "age": "32.5"}) // the latest answer counts

	got, err := f.adminClient().AdminResults(ctx, cf.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Actions) != 1 {
		t.Fatalf("%d actions, want the campaign's one: %+v", len(got.Actions), got)
	}
	r := got.Actions[0]
	if r.ActionID != cf.action.ID || r.Action != cf.action.Title || r.ActionType != api.ActionP2P || len(r.Scripts) != 2 {
		t.Fatalf("action %+v", r)
	}
	if r.Scripts[1].Script != 2 || r.Scripts[1].Text != "Hello {first_name|friend}!" {
		t.Errorf("second script %+v, want its number and text", r.Scripts[1])
	}
	// Its words and its merge field apart, the field in words, for the app to show without parsing it.
	wantParts := []api.ScriptPart{{Text: "Hello "}, {Field: "first_name", Label: "First name", Fallback: "friend"}, {Text: "!"}}
	if !reflect.DeepEqual(r.Scripts[1].Parts, wantParts) || r.Total.Parts != nil {
		t.Errorf("second script's parts %+v, total's %+v; want %+v, and none for the total", r.Scripts[1].Parts, r.Total.Parts, wantParts)
	}
	tot := r.Total
	if tot.Contacts != 4 || tot.Sent != 3 || tot.Replies != 2 || tot.OptOuts != 1 || tot.ReplyRate == nil || *tot.ReplyRate != 2.0/3 || tot.OptOutRate == nil || *tot.OptOutRate != 1.0/3 {
		t.Errorf("total %+v, want 4 contacts, 3 sent, 2 replies, 1 opt-out", tot)
	}
	// The tag field, then each choice of the choice field (Support), then
	// the number field (Age): the latest answers, counted and added up.
	willVote := func() []api.TagCount {
		return []api.TagCount{{Key: "will_vote", Label: "Will vote", Count: 0},
			{Key: "support", Label: "Support", Choice: "Strong Supporter"}, {Key: "support", Label: "Support", Choice: "Undecided"},
			{Key: "age", Label: "Age", Kind: "number"}}
	}
	wantTot := willVote()
	wantTot[0].Count, wantTot[2].Count, wantTot[3].Count, wantTot[3].Sum = 1, 1, 2, 72.5
	if tot.Reported != 2 || !reflect.DeepEqual(tot.Tags, wantTot) {
		t.Errorf("total reported %d, tags %+v; want 2 reported, Will vote on 1, Support Undecided 1, Age 40 + 32.5 from 2", tot.Reported, tot.Tags)
	}
	for i, sr := range r.Scripts {
		wantReported, want := 0, willVote()
		for _, a := range []api.Assignment{assigned[0], assigned[2]} {
			if a.ScriptIndex == i {
				wantReported++
			}
		}
		if assigned[0].ScriptIndex == i {
			want[0].Count, want[2].Count, want[3].Count, want[3].Sum = 1, 1, 1, 40
		}
		if assigned[2].ScriptIndex == i {
			want[3].Count, want[3].Sum = want[3].Count+1, want[3].Sum+32.5
		}
		if sr.Reported != wantReported || !reflect.DeepEqual(sr.Tags, want) {
			t.Errorf("script %d: reported %d, tags %+v; want %d, %+v", sr.Script, sr.Reported, sr.Tags, wantReported, want)
		}
	}
	cli, err := f.organizer(f.st).Stats(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cli, r) {
		t.Errorf("Results %+v\nstats    %+v: want the same figures", r, cli)
	}

	// Volunteers and outsiders get the Admin section's 403.
	_, err = c.AdminResults(ctx, cf.campaign.ID)
	wantAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	_, err = f.adminClient().AdminResults(ctx, "no-such-campaign")
	wantAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
}

// A contact whose script the campaign file no longer has still counts: its
// own row, marked dropped, and in the total, in Results and in `stats`.
func TestAdminResultsScriptDropped(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1, scripts: []string{"Hi {first_name|friend}!", "Hello there"}})
	late := store.Contact{ID: uuid.NewString(), ActionID: cf.action.ID, FirstName: "Lee", Phone: "+12125559876",
		Fields: map[string]string{}, ScriptIndex: 1, CreatedAt: baseTime}
	a := cf.action
	a.Scripts = a.Scripts[:1]
	f.update(func(tx store.Tx) error {
		if err := tx.CreateContact(ctx, late); err != nil {
			return err
		}
		return tx.UpdateAction(ctx, a)
	})

	got, err := f.adminClient().AdminResults(ctx, cf.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	r := got.Actions[0]
	if len(r.Scripts) != 2 || r.Scripts[0].Dropped || r.Scripts[0].Contacts != 2 || r.Scripts[0].Text != "Hi {first_name|friend}!" {
		t.Fatalf("scripts %+v, want the kept script's 2 contacts first", r.Scripts)
	}
	if d := r.Scripts[1]; !d.Dropped || d.Script != 2 || d.Text != "" || d.Contacts != 1 {
		t.Errorf("dropped script's row %+v, want script 2, marked dropped, 1 contact", d)
	}
	if r.Total.Contacts != 3 {
		t.Errorf("total %d contacts, want every contact of the action (3)", r.Total.Contacts)
	}
	cli, err := f.organizer(f.st).Stats(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cli, r) {
		t.Errorf("Results %+v\nstats    %+v: want the same figures", r, cli)
	}
}

// An opt-out counts against a script only when its text was sent: a number
// that opted out while its first text waited is a failed text (never sent),
// not an opt-out the script caused, so the rate stays a share of texts sent.
func TestAdminResultsOptOutBeforeSent(t *testing.T) {
	h := &heldClaims{}
	h.held.Store(true)
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store { h.Store = st; return h }})
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	_, u := f.member("vera", cf)
	storeFirstTexts(f, cf, u, sendingNumber(f, cf, u), api.StatusQueued)
	csv := "Phone\n" + cf.contacts[0].Phone + "\n"
	if _, err := f.organizer(f.st).ImportOptOuts(ctx, server.OptOutImportRequest{Org: f.org.ID, CSV: strings.NewReader(csv), Source: "list.csv"}); err != nil {
		t.Fatal(err)
	}
	h.held.Store(false)
	f.drain()

	got, err := f.adminClient().AdminResults(ctx, cf.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	tot := got.Actions[0].Total
	if tot.Contacts != 2 || tot.Sent != 1 || tot.Failed != 1 || tot.OptOuts != 0 || tot.OptOutRate == nil || *tot.OptOutRate != 0 {
		t.Errorf("total %+v, want 2 contacts, 1 sent, 1 failed (opted out before it left), 0 opt-outs", tot)
	}
}
