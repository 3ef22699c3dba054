package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/sms"
)

// TestAdminReassignedAnsweredOnlyByTextsThatWent: in the Admin section a
// reassigned conversation whose contact asked something shows "Not
// answered yet" (the row's lastOutboundAt before its lastInboundAt) until a
// reply goes: one that failed at the provider answered nobody. A reply
// that goes answers it.
func TestAdminReassignedAnsweredOnlyByTextsThatWent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	vera, assigned, from := texted(t, f, cf, 1)
	a := assigned[0]
	wantApplied(t, push(t, vera, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ThreadID: a.ContactID, ToUserID: f.admin.ID}))
	f.clock.Advance(time.Second)
	replyFrom(t, f, a, from, "When is election day?")
	admin := f.adminClient()
	answered := func() bool {
		t.Helper()
		ov, err := admin.AdminOverview(ctx, cf.campaign.ID)
		if err != nil || len(ov.Reassigned) != 1 {
			t.Fatalf("overview %+v %v", ov, err)
		}
		th := ov.Reassigned[0]
		return th.LastOutboundAt != nil && th.LastOutboundAt.After(*th.LastInboundAt)
	}
	if answered() {
		t.Fatal("the question reads as answered before any reply")
	}
	f.clock.Advance(time.Minute)
	f.faults.failSends(a.Phone, &sms.Error{Code: "30006", Message: "Landline or unreachable carrier"})
	wantApplied(t, push(t, admin, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, CreatedAt: f.clock.Now(), ThreadID: a.ContactID,
		MessageID: uuid.NewString(), Body: "Tuesday"}))
	f.drain()
	if answered() {
		t.Fatal("a reply that failed at the provider reads as an answer")
	}
	f.clock.Advance(time.Minute)
	wantApplied(t, push(t, admin, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, CreatedAt: f.clock.Now(), ThreadID: a.ContactID,
		MessageID: uuid.NewString(), Body: "Tuesday, 7 to 8"}))
	f.drain()
	if !answered() {
		t.Fatal("a reply that went does not read as an answer")
	}
}
