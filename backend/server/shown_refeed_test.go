package server_test

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
)

// TestHiddenColumnLeavesTheApps: an update that hides a column (drops it
// from shown_fields) feeds the action's contacts again to the volunteers
// holding them, queued (assignment) or texted (contact): the holder's next
// sync carries them without it, and nobody else's feed hears of them. An
// update that hides nothing feeds them nowhere.
func TestHiddenColumnLeavesTheApps(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	declared := strings.Replace(shownFile, "[precinct, party, dob]", "[precinct, party, dob, ward]", 1)
	file := strings.Replace(declared, "shown_fields: [party]", "shown_fields: [party, dob]", 1)
	set := setUpShown(t, f, file, "First Name,Last Name,Cell Phone,Zip,Precinct,Party,DOB\n"+
		"Ada,Lovelace,(212) 555-0101,10001,12B,Green,1815-12-10\n"+
		"Alan,Turing,(212) 555-0102,10002,7A,Blue,1912-06-23\n", 2)
	vera, texted, actionID := set.vera, set.b.Assigned[0], set.res.Actions[0].ID
	sent, err := vera.PushMutations(ctx, []api.Mutation{{ID: uuid.NewString(), Type: api.MutSendInitial,
		ActionID: actionID, ContactID: texted.ContactID, MessageID: uuid.NewString(), CreatedAt: baseTime}})
	if err != nil || sent.Results[0].Status != api.ResultApplied {
		t.Fatalf("first text to %s: %+v %v", texted.FirstName, sent, err)
	}
	olga, _ := f.user("olga") // a member holding none of them
	if _, err := olga.Join(ctx, "777777"); err != nil {
		t.Fatal(err)
	}
	shown := []string{"dob", "party", "precinct", "zip"}
	veraAt := syncedContacts(t, vera, 0, shown, 1, 0)
	olgaAt := syncedContacts(t, olga, 0, nil, 0, 0)

	update := func(file string) {
		t.Helper()
		if _, err := o.UpdateCampaign(ctx, parseFile(t, strings.Replace(file, "title: GOTV", "id: "+actionID+"\n    title: GOTV", 1))); err != nil {
			t.Fatal(err)
		}
	}
	update(strings.Replace(file, "Will you vote?", "Will you vote soon?", 1)) // hides nothing
	veraAt = syncedContacts(t, vera, veraAt, nil, 0, 0)
	update(declared) // dob no longer shown
	syncedContacts(t, vera, veraAt, []string{"party", "precinct", "zip"}, 1, 1)
	syncedContacts(t, olga, olgaAt, nil, 0, 0)
}

// syncedContacts syncs c after cursor, checks the page carries queued
// assignments and texted contacts, each with the fields want, and returns
// the new cursor.
func syncedContacts(t *testing.T, c *api.Client, cursor int64, want []string, queued, texted int) int64 {
	t.Helper()
	page, err := c.Sync(context.Background(), cursor, 500)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, ch := range page.Changes {
		if ch.Kind != api.KindAssignment && ch.Kind != api.KindContact || ch.Deleted {
			continue
		}
		var a api.Assignment
		if err := json.Unmarshal(ch.Data, &a); err != nil {
			t.Fatal(err)
		}
		got[ch.Kind]++
		if fields := slices.Sorted(maps.Keys(a.Fields)); !slices.Equal(fields, want) {
			t.Errorf("sync after %d: %s %s's fields %v, want %v", cursor, ch.Kind, a.FirstName, fields, want)
		}
	}
	if got[api.KindAssignment] != queued || got[api.KindContact] != texted {
		t.Errorf("sync after %d carried %d assignments and %d contacts, want %d and %d",
			cursor, got[api.KindAssignment], got[api.KindContact], queued, texted)
	}
	return page.Cursor
}
