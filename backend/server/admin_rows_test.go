package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// TestAdminRowsLeadToTheirConversations: each row of the Admin section names
// what an organizer can open. An opt-in names the conversation the START
// came in, who holds it, or that it is the admin's own once reassigned to
// them; an unroutable text has an id, and names the sender's conversation
// in the campaign when they are a contact of it (here, texting another of
// its numbers), nothing when they are a stranger.
func TestAdminRowsLeadToTheirConversations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	vera, assigned, from := texted(t, f, cf, 1)
	a := assigned[0]
	replyFrom(t, f, a, from, "STOP")
	replyFrom(t, f, a, from, "Start")
	other := "+12025559999"
	f.update(func(tx store.Tx) error { return tx.AddSendingNumber(ctx, cf.campaign.ID, other, baseTime) })
	for _, in := range []sms.Inbound{{From: a.Phone, To: other, Body: "is this still Vera?"}, {From: "+13125550000", To: other, Body: "wrong number?"}} {
		f.clock.Advance(time.Second)
		in.ProviderID, in.ReceivedAt = uuid.NewString(), f.clock.Now()
		if err := f.srv.Receive(ctx, in); err != nil {
			t.Fatal(err)
		}
	}

	ov, err := f.adminClient().AdminOverview(ctx, cf.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.OptIns) != 1 {
		t.Fatalf("opt-ins %+v, want the START", ov.OptIns)
	}
	in := ov.OptIns[0]
	if in.ThreadID != a.ContactID || in.Yours || in.HeldBy != "vera Volunteer" || in.ContactName == "" {
		t.Fatalf("opt-in %+v, want Vera's conversation %s, held by her", in, a.ContactID)
	}
	if len(ov.Unroutable) != 2 {
		t.Fatalf("unroutable %+v, want the two texts to %s", ov.Unroutable, other)
	}
	byBody := map[string]api.UnroutableText{}
	for _, u := range ov.Unroutable {
		if u.ID == "" {
			t.Fatalf("unroutable text without an id: %+v", u)
		}
		byBody[u.Body] = u
	}
	if u := byBody["is this still Vera?"]; u.ThreadID != a.ContactID || u.ContactName != in.ContactName || u.From != a.Phone || u.To != other {
		t.Fatalf("the contact's unroutable text %+v, want their conversation %s named", u, a.ContactID)
	}
	if u := byBody["wrong number?"]; u.ThreadID != "" || u.ContactName != "" || u.ID == byBody["is this still Vera?"].ID {
		t.Fatalf("a stranger's unroutable text %+v names a conversation", u)
	}

	// Reassigned to the admin, the conversation is theirs to open.
	wantApplied(t, push(t, vera, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ThreadID: a.ContactID, ToUserID: f.admin.ID}))
	ov, err = f.adminClient().AdminOverview(ctx, cf.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if in := ov.OptIns[0]; in.ThreadID != a.ContactID || !in.Yours || in.HeldBy != "" {
		t.Fatalf("opt-in after the reassign %+v, want the admin's own conversation", in)
	}
}
