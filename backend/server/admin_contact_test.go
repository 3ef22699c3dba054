package server_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/texting"
)

// TestAdminsSeeEveryColumnOfAConversationsContact: the Admin section's read
// of a conversation carries every column of its contact, dob and notes
// included, which the action neither uses nor shows; the volunteer who
// texted the contact reads only the shown columns, and the Admin section's
// read is refused to them.
func TestAdminsSeeEveryColumnOfAConversationsContact(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	set := setUpShown(t, f, strings.Replace(shownFile, "[precinct, party, dob]", "[precinct, party, dob, ward, notes]", 1),
		"First Name,Last Name,Cell Phone,Zip,Precinct,Party,DOB,Notes\n"+
			"Ada,Lovelace,(212) 555-0101,10001,12B,Green,1815-12-10,owes us a call\n", 1)
	res, vera, ada, actionID := set.res, set.vera, set.b.Assigned[0], set.res.Actions[0].ID
	if _, ok := ada.Fields["dob"]; ok {
		t.Fatalf("the volunteer's batch carries dob: %v", ada.Fields)
	}
	sent, err := vera.PushMutations(ctx, []api.Mutation{{ID: uuid.NewString(), Type: api.MutSendInitial,
		ActionID: actionID, ContactID: ada.ContactID, MessageID: uuid.NewString(), CreatedAt: baseTime}})
	if err != nil || sent.Results[0].Status != api.ResultApplied {
		t.Fatalf("first text: %+v %v", sent, err)
	}

	read, err := f.adminClient().AdminThread(ctx, res.CampaignID, ada.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	want := []texting.Detail{
		{Key: "zip", Label: "ZIP", Value: "10001"},
		{Key: "dob", Label: "Dob", Value: "1815-12-10"},
		{Key: "notes", Label: "Notes", Value: "owes us a call"},
		{Key: "party", Label: "Party", Value: "Green"},
		{Key: "precinct", Label: "Precinct", Value: "12B"},
	}
	if !slices.Equal(read.ContactDetails, want) {
		t.Fatalf("the admin's read of the conversation: %+v, want every column %+v", read.ContactDetails, want)
	}

	_, err = vera.AdminThread(ctx, res.CampaignID, ada.ContactID)
	wantAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	mine, err := vera.Contacts(ctx, []string{ada.ContactID})
	if err != nil || len(mine.Contacts) != 1 {
		t.Fatalf("the volunteer's contacts read %+v %v", mine, err)
	}
	for _, hidden := range []string{"dob", "notes"} {
		if _, ok := mine.Contacts[0].Fields[hidden]; ok {
			t.Errorf("the volunteer's contacts read carries %s: %v", hidden, mine.Contacts[0].Fields)
		}
	}
}
