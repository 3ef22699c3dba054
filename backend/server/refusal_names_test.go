package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
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

// TestNonMembersLearnNothingOfAnAction: Text Again, release and the
// reassign targets of an action in a private campaign the caller has not
// joined answer exactly as for an action that does not exist: nothing
// names the campaign or the action, or tells that they exist, and nothing
// is handed out.
func TestNonMembersLearnNothingOfAnAction(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{name: "Secret Senate Run", issue: "Ballot Question 7", private: true, contacts: 2, numbers: 1})
	outsider, _ := f.user("olga")
	calls := map[string]func(actionID string) error{
		"Text Again": func(id string) error { _, err := outsider.Batch(ctx, id); return err },
		"release":    func(id string) error { _, err := outsider.Release(ctx, id, nil); return err },
		"reassign targets": func(id string) error {
			_, err := outsider.ReassignTargets(ctx, id)
			return err
		},
	}
	for name, call := range calls {
		private := wantAPIError(t, call(cf.action.ID), http.StatusNotFound, api.CodeNotFound)
		missing := wantAPIError(t, call(uuid.NewString()), http.StatusNotFound, api.CodeNotFound)
		if private.Err != missing.Err {
			t.Errorf("%s: a private campaign's action answered %+v, a missing one %+v; want the same", name, private.Err, missing.Err)
		}
		for _, secret := range []string{cf.campaign.Name, cf.campaign.Issue, cf.action.Title, cf.campaign.JoinCode, cf.action.ID} {
			if strings.Contains(private.Err.Message, secret) {
				t.Errorf("%s: the refusal %q names %q", name, private.Err.Message, secret)
			}
		}
	}
	// Reassign All names an action too: an outsider naming the campaign's
	// admin or one of its volunteers learns neither who they are nor that
	// the action exists.
	_, member := f.member("milo", cf)
	missing := push(t, outsider, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ActionID: uuid.NewString(), ToUserID: f.admin.ID})
	wantRejected(t, missing, api.RejectInvalid)
	for _, to := range []string{f.admin.ID, member.ID} {
		res := push(t, outsider, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ActionID: cf.action.ID, ToUserID: to})
		wantRejected(t, res, api.RejectInvalid)
		if res.Reason != missing.Reason {
			t.Errorf("Reassign All in a private campaign to %s was refused with %q, a missing action with %q; want the same", to, res.Reason, missing.Reason)
		}
	}
	f.view(func(tx store.Tx) error {
		for _, c := range cf.contacts {
			got, err := tx.ContactByID(ctx, c.ID)
			if err != nil {
				return err
			}
			if got.State != store.ContactUnassigned || got.AssignedTo != "" {
				t.Errorf("contact %s is %s (to %q) after an outsider's requests; want it unassigned as it was", c.ID, got.State, got.AssignedTo)
			}
		}
		return nil
	})
}
