package server_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestScriptTagsOnlyForTheScriptSent: a reply naming the "Will vote"
// response script files its will_vote tag only when the text sent is that
// script's; another script's words, or the volunteer's own (where free text
// is allowed), go out with no tag filed.
func TestScriptTagsOnlyForTheScriptSent(t *testing.T) {
	for _, tc := range []struct {
		name     string
		freeText bool
		body     string
		tagged   bool
	}{
		{"the script as written", false, "Great, see you at the polls.", true},
		{"the script, with outer spaces", true, "  Great, see you at the polls. ", true},
		{"prepared scripts only, another script's text", false, "Thanks, Contact0!", false},
		{"free text, own words", true, "Sorry, wrong person, ignore me", false},
		{"free text, the script edited", true, "Great, see you at the polls. Bring ID!", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			cf := f.campaign(campaignOpts{contacts: 1, numbers: 1, noFreeText: !tc.freeText})
			c, assigned, _ := texted(t, f, cf, 1)
			id := assigned[0].ContactID
			wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: id, MessageID: uuid.NewString(),
				Body: tc.body, ResponseScriptID: "vote"}))
			state := syncState{}
			syncAll(t, c, state, 0, 0)
			tagged := false
			for _, r := range state.reports(t) {
				tagged = tagged || r.Values["will_vote"] == "true"
			}
			if tagged != tc.tagged {
				t.Fatalf("sent %q naming the Will vote script: will_vote filed %v, want %v", tc.body, tagged, tc.tagged)
			}
			if msgs := state.messages(t, id); len(msgs) != 2 {
				t.Fatalf("%d messages, want the first text and the reply", len(msgs))
			}
		})
	}
}

// TestScriptTagsAsAHandedOverDesktopFillsIt: a script with merge fields,
// picked and sent unedited by an admin the conversation was handed to,
// whose desktop fills it in from the conversation's name alone (no custom
// fields), files its tags; the same script with words of their own in it
// does not.
func TestScriptTagsAsAHandedOverDesktopFillsIt(t *testing.T) {
	f, ctx := newFixture(t), context.Background()
	admin, id := handedOverMaryAnn(t, f, campaignOpts{contacts: 0, numbers: 1}, 1,
		"Great, {first_name|friend}! See you at {polling_place|your polling place}.")
	tagged := func(body string) bool {
		t.Helper()
		msgID := uuid.NewString()
		wantApplied(t, push(t, admin, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: id, MessageID: msgID,
			Body: body, ResponseScriptID: "vote"}))
		var yes bool
		f.view(func(tx store.Tx) error {
			r, err := tx.ReportByID(ctx, "script-"+msgID)
			yes = err == nil && r.Values["will_vote"] == "true"
			return nil
		})
		return yes
	}
	if !tagged("Great, Mary Ann! See you at Town Hall.") {
		t.Error("the script as the record fills it filed no tag")
	}
	if !tagged("Great, Mary! See you at your polling place.") {
		t.Error("the script as a handed-over desktop fills it filed no tag")
	}
	if tagged("Great, Mary! Oh, you won't vote? Sorry! See you at your polling place.") {
		t.Error("the script with words of the admin's own in it filed the tag")
	}
}

// TestPreparedScriptAsAHandedOverDesktopFillsIt: where an action allows
// only its response scripts, a script filled in as the desktop of an admin
// handed the conversation fills it (from the conversation's name alone: no
// custom fields, the first name up to its first space) is a prepared script,
// not free text; words of the admin's own still are refused.
func TestPreparedScriptAsAHandedOverDesktopFillsIt(t *testing.T) {
	f := newFixture(t)
	admin, id := handedOverMaryAnn(t, f, campaignOpts{contacts: 0, numbers: 1, noFreeText: true}, 0,
		"Thanks, {first_name}! Vote at {polling_place|your polling place}.")
	reply := func(body string) api.MutationResult {
		return push(t, admin, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: id, MessageID: uuid.NewString(), Body: body, ResponseScriptID: "thanks"})
	}
	wantApplied(t, reply("Thanks, Mary Ann! Vote at Town Hall."))      // as the record fills it
	wantApplied(t, reply("Thanks, Mary! Vote at your polling place.")) // as a handed-over desktop does
	wantRejected(t, reply("Thanks, Mary! Vote anywhere you like."), api.RejectFreeText)
}

// handedOverMaryAnn sets up a campaign whose response script number script
// reads body, and its one contact, Mary Ann Smith of the Town Hall polling
// place, texted by a volunteer who then handed the conversation to the
// admin; it returns the admin's client and the thread.
func handedOverMaryAnn(t *testing.T, f *fixture, o campaignOpts, script int, body string) (*api.Client, string) {
	t.Helper()
	ctx := context.Background()
	cf := f.campaign(o)
	f.update(func(tx store.Tx) error {
		a, err := tx.ActionByID(ctx, cf.action.ID)
		if err != nil {
			return err
		}
		a.ResponseScripts[script].Body = body
		if err := tx.UpdateAction(ctx, a); err != nil {
			return err
		}
		return tx.CreateContact(ctx, store.Contact{ID: uuid.NewString(), ActionID: cf.action.ID, FirstName: "Mary Ann", LastName: "Smith",
			Phone: "+12125550777", Fields: map[string]string{"polling_place": "Town Hall"}, CreatedAt: baseTime})
	})
	c, assigned, _ := texted(t, f, cf, 1)
	id := assigned[0].ContactID
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ThreadID: id, ToUserID: f.admin.ID}))
	return f.adminClient(), id
}
