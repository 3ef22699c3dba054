package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
)

// A conversation a volunteer blocked leaves their inbox for good; its texts
// are kept for the admins, who read them whole from the report of abuse.
func TestAdminReadsABlockedConversation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, assigned, from := texted(t, f, cf, 1)
	a := assigned[0]
	replyFrom(t, f, a, from, "you people are idiots")
	replyFrom(t, f, a, from, "and another insult")
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutBlock, ThreadID: a.ContactID, Reason: api.BlockHarassment}))

	read, err := f.adminClient().AdminThread(ctx, cf.campaign.ID, a.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	// A block opts the number out, a volunteer's decision no admin undoes.
	if o := read.OptOut; o == nil || o.Undoable || o.Reason != "blocked by a volunteer: harassment" {
		t.Errorf("opt-out %+v, want the block's, not undoable", o)
	}
	msgs := read.Messages
	if len(msgs) != 3 {
		t.Fatalf("%d texts, want the first text and both replies: %+v", len(msgs), msgs)
	}
	if msgs[0].Direction != api.DirOutbound || msgs[0].SentByName != "vera Volunteer" {
		t.Errorf("first text %+v, want vera's", msgs[0])
	}
	if msgs[1].Body != "you people are idiots" || msgs[2].Body != "and another insult" || msgs[2].SentByName != "" {
		t.Errorf("replies %+v, %+v: want both, oldest first", msgs[1], msgs[2])
	}

	if msgs[1].LikelyOptOut || msgs[0].LikelyOptOut {
		t.Errorf("texts %+v, %+v marked as asking to stop; they do not", msgs[0], msgs[1])
	}

	// The volunteer who blocked it, like any volunteer, gets the Admin section's 403.
	_, err = c.AdminThread(ctx, cf.campaign.ID, a.ContactID)
	wantAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	// A thread of no campaign, or of another one, is not found.
	_, err = f.adminClient().AdminThread(ctx, cf.campaign.ID, "nope")
	wantAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	other := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	_, err = f.adminClient().AdminThread(ctx, other.campaign.ID, a.ContactID)
	wantAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
}

// A reply worded like a request to stop ("please stop texting me") is
// marked in the Admin section's read, as in the volunteer's sync: an admin
// deciding whether a volunteer's Opt Out was a mistake reads it as one.
func TestAdminReadMarksALikelyOptOut(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	_, assigned, from := texted(t, f, cf, 1)
	a := assigned[0]
	replyFrom(t, f, a, from, "please stop texting me")
	read, err := f.adminClient().AdminThread(ctx, cf.campaign.ID, a.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if len(read.Messages) != 2 || !read.Messages[1].LikelyOptOut || read.Messages[0].LikelyOptOut {
		t.Fatalf("texts %+v, want the first text unmarked and the reply marked likelyOptOut", read.Messages)
	}
}
