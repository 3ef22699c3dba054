package server_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
)

// TestRefusalsNameNoOneFromElsewhere: a refusal names a contact or a user
// only to someone of their campaign; an id from elsewhere learns nothing of
// whose it is.
func TestRefusalsNameNoOneFromElsewhere(t *testing.T) {
	f := newFixture(t)
	theirs := f.campaign(campaignOpts{name: "Theirs", contacts: 1, numbers: 1})
	cf, c, _, b := f.texting("vera", campaignOpts{name: "Vera's", contacts: 1, numbers: 1})
	res, _ := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	_, stranger := f.member("stranger", theirs) // a volunteer of another campaign

	res, _ = sendInitial(t, c, theirs.contacts[0].ID)
	wantRejected(t, res, api.RejectNotAssigned)
	if strings.Contains(res.Reason, theirs.contacts[0].FirstName) || strings.Contains(res.Reason, theirs.contacts[0].Phone) {
		t.Fatalf("a send to another campaign's contact was refused naming them: %q", res.Reason)
	}
	res = push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ThreadID: b.Assigned[0].ContactID, ToUserID: stranger.ID})
	wantRejected(t, res, api.RejectInvalid)
	if strings.Contains(res.Reason, stranger.Name) {
		t.Fatalf("a reassign to a stranger was refused naming them: %q", res.Reason)
	}
	// Within the campaign, names help: a fellow volunteer is named.
	_, walt := f.member("walt", cf)
	res = push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ThreadID: b.Assigned[0].ContactID, ToUserID: walt.ID})
	wantRejected(t, res, api.RejectInvalid)
	if !strings.Contains(res.Reason, walt.Name) {
		t.Fatalf("a reassign to a fellow volunteer was refused without their name: %q", res.Reason)
	}
}
