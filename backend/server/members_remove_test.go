package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestOrganizerRemovesAMember: `textbankd members remove` takes a
// volunteer off a campaign in one step: their unsent contacts back to the
// pool, their queued text not sent, their conversations to the action's
// creator (noted, replies routed there), the campaign gone from their app
// (also one that was offline), and every route refusing them the campaign
// in words that say why. Bad requests are named and change nothing; a
// second removal says it was done already.
func TestOrganizerRemovesAMember(t *testing.T) {
	ctx := context.Background()
	h := &heldClaims{}
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store { h.Store = st; return h }})
	cf := f.campaign(campaignOpts{name: "Removal", contacts: 6, numbers: 1, batch: 2})
	c, vera := f.member("vera", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil || len(b.Assigned) != 2 {
		t.Fatalf("vera's batch %+v %v", b, err)
	}
	assigned := b.Assigned // one texted, one unsent
	first, _ := sendInitial(t, c, assigned[0].ContactID)
	wantApplied(t, first)
	sent := f.sent()
	from := sent[len(sent)-1].From
	vicClient, _ := f.member("vic", cf)
	vb, err := vicClient.Batch(ctx, cf.action.ID)
	if err != nil || len(vb.Assigned) != 2 {
		t.Fatalf("vic's batch %+v %v", vb, err)
	}
	_, otto := f.user("otto")
	org := f.organizer(f.st)
	thread := assigned[0].ContactID
	// A reply of vera's still queued (the provider busy): it must not go.
	h.held.Store(true)
	queued := uuid.NewString()
	f.update(func(tx store.Tx) error {
		return tx.CreateMessage(ctx, store.Message{ID: queued, ThreadID: thread, Direction: api.DirOutbound,
			Body: "See you Tuesday", Status: api.StatusQueued, SenderID: vera.ID, CreatedAt: baseTime})
	})
	offline := syncAll(t, c, syncState{}, 0, 0) // her app's cursor, then offline

	for _, bad := range []struct{ name, email, ref, want string }{
		{"no account", "nobody@example.org", cf.campaign.JoinCode, "no account has email nobody@example.org"},
		{"no campaign", vera.Email, "999999", "999999"},
		{"not a code", vera.Email, "12345", `"12345"`},
		{"not a member", otto.Email, cf.campaign.JoinCode, "is not a member of campaign " + cf.campaign.JoinCode},
		{"an admin", f.admin.Email, cf.campaign.JoinCode, "textbankd admin remove " + f.admin.Email},
	} {
		if _, err := org.CheckRemoveMember(ctx, bad.email, bad.ref); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("check %s: %v, want an error saying %q", bad.name, err, bad.want)
		}
		if _, err := org.RemoveMember(ctx, bad.email, bad.ref); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("remove %s: %v, want an error saying %q", bad.name, err, bad.want)
		}
	}
	preview, err := org.CheckRemoveMember(ctx, vera.Email, cf.campaign.JoinCode)
	if err != nil || preview.Removed || preview.Released != 1 || preview.Conversations != 1 {
		t.Fatalf("check = %+v %v, want 1 unsent contact and 1 conversation, nothing removed", preview, err)
	}

	res, err := org.RemoveMember(ctx, " "+strings.ToUpper(vera.Email), cf.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := server.MemberRemoval{Email: vera.Email, Campaign: "Removal", JoinCode: cf.campaign.JoinCode, Removed: true,
		Released: 1, Cancelled: 1, Conversations: 1, To: []server.ReassignedTo{{Name: f.admin.Name, Email: f.admin.Email, Conversations: 1}}}
	if res.Email != want.Email || res.Campaign != want.Campaign || !res.Removed || res.Released != 1 || res.Cancelled != 1 ||
		res.Conversations != 1 || len(res.To) != 1 || res.To[0] != want.To[0] {
		t.Fatalf("removal = %+v, want %+v", res, want)
	}
	if st := contactByID(t, f, assigned[1].ContactID).State; st != store.ContactReleased {
		t.Errorf("her unsent contact is %q, want released", st)
	}
	if m := messageStatus(t, f, queued); m.Status != api.StatusFailed || !strings.Contains(m.Error, "removed from the campaign") {
		t.Errorf("her queued reply is %s (%q), want failed saying why", m.Status, m.Error)
	}
	for _, a := range vb.Assigned {
		if st := contactByID(t, f, a.ContactID).State; st != store.ContactAssigned {
			t.Errorf("vic's contact is %q, want still his", st)
		}
	}
	// The creator holds her conversation, noted, with the failed reply.
	adminState := syncState{}
	syncAll(t, f.adminClient(), adminState, 0, 0)
	th := adminState.thread(t, thread)
	if th.Reassigned == nil || th.Reassigned.FromUserName != vera.Name || !strings.Contains(th.Reassigned.Note, "Removed from the campaign") {
		t.Fatalf("the creator's copy: %+v", th.Reassigned)
	}
	replyFrom(t, f, assigned[0], from, "Still there?")
	after := syncState{}
	syncAll(t, f.adminClient(), after, 0, 0)
	if n := len(after.messages(t, thread)); n != 3 {
		t.Fatalf("the creator's conversation has %d messages, want the text, the failed reply and the new reply", n)
	}

	// Her app, offline during the removal, hears it at its next pull: the
	// campaign deleted; from scratch, nothing of it.
	resp, err := c.Sync(ctx, offline, 500)
	if err != nil {
		t.Fatal(err)
	}
	gone := false
	for _, ch := range resp.Changes {
		gone = gone || ch.Kind == api.KindCampaign && ch.ID == cf.campaign.ID && ch.Deleted
	}
	if !gone {
		t.Fatalf("her pull after the removal: %+v, want the campaign deleted", resp.Changes)
	}
	fresh := syncState{}
	syncAll(t, c, fresh, 0, 0)
	for _, kind := range []string{api.KindCampaign, api.KindAction, api.KindThread, api.KindAssignment, api.KindMessage} {
		if n := fresh.count(kind); n != 0 {
			t.Errorf("a fresh pull of hers still has %d %s", n, kind)
		}
	}

	// Every route refuses her the campaign, saying why.
	removed := func(what string, err error) {
		t.Helper()
		ae := wantAPIError(t, err, http.StatusForbidden, api.CodeRemovedFromCampaign)
		if !strings.Contains(ae.Err.Message, "removed from the campaign “Removal”") {
			t.Errorf("%s: %q, want words naming the campaign", what, ae.Err.Message)
		}
	}
	_, err = c.Batch(ctx, cf.action.ID)
	removed("Text Again", err)
	_, err = c.Release(ctx, cf.action.ID, []string{assigned[1].ContactID})
	removed("release", err)
	_, err = c.ReassignTargets(ctx, cf.action.ID)
	removed("reassign targets", err)
	_, err = c.Join(ctx, cf.campaign.JoinCode)
	removed("join again", err)
	// Her search leaves the public campaign out, by name or in the list:
	// joining it is refused. Its code still finds it (joining says why).
	for q, want := range map[string]int{"removal": 0, "": 0, cf.campaign.JoinCode: 1} {
		if found, err := c.SearchCampaigns(ctx, q); err != nil || len(found) != want {
			t.Errorf("her search for %q: %+v %v, want %d campaigns", q, found, err, want)
		}
	}
	if found, err := vicClient.SearchCampaigns(ctx, "removal"); err != nil || len(found) != 1 {
		t.Errorf("vic's search: %+v %v, want the campaign", found, err)
	}
	if got, err := c.Contacts(ctx, []string{thread}); err != nil || len(got.Contacts) != 0 {
		t.Errorf("contacts of her old conversation: %+v %v, want none", got, err)
	}
	_, err = c.AdminOverview(ctx, cf.campaign.ID)
	wantAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	// What her app queued offline is refused in words she understands.
	for _, m := range []api.Mutation{
		{Type: api.MutReply, ThreadID: thread, MessageID: uuid.NewString(), Body: "Sorry, I was away"},
		{Type: api.MutReport, ThreadID: thread, ReportID: uuid.NewString(), Values: map[string]string{"notes": "x"}},
		{Type: api.MutArchive, ThreadID: thread},
		{Type: api.MutSendInitial, ContactID: assigned[1].ContactID, ActionID: cf.action.ID, MessageID: uuid.NewString()},
		{Type: api.MutReassign, ActionID: cf.action.ID, ToUserID: f.admin.ID},
	} {
		m.ID = uuid.NewString()
		r := push(t, c, m)
		wantRejected(t, r, api.RejectRemoved)
		if !strings.Contains(r.Reason, "“Removal”") {
			t.Errorf("%s refused with %q, want the campaign named", m.Type, r.Reason)
		}
	}
	// Vic, still a member, is refused nothing.
	if _, err := vicClient.ReassignTargets(ctx, cf.action.ID); err != nil {
		t.Errorf("vic's reassign targets: %v", err)
	}

	// Again: a clear message, nothing changed.
	if _, err := org.RemoveMember(ctx, vera.Email, cf.campaign.JoinCode); err == nil || !strings.Contains(err.Error(), "was already removed from campaign") {
		t.Fatalf("a second removal: %v, want it said done already", err)
	}
	list, err := org.Members(ctx, cf.campaign.JoinCode)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list.Members {
		if m.Email == vera.Email {
			t.Errorf("members list still has her: %+v", list.Members)
		}
	}
	if len(list.Members) != 2 {
		t.Errorf("members list = %+v, want the admin and vic", list.Members)
	}

	// Readmitted, she joins again with the code, a volunteer with no
	// conversation of before (they stay with the creator).
	back, err := org.ReadmitMember(ctx, vera.Email, cf.campaign.JoinCode)
	if err != nil || back.Email != vera.Email || back.JoinCode != cf.campaign.JoinCode {
		t.Fatalf("readmit: %+v %v", back, err)
	}
	if found, err := c.SearchCampaigns(ctx, "removal"); err != nil || len(found) != 1 {
		t.Errorf("her search after the readmission: %+v %v, want the campaign", found, err)
	}
	if _, err := c.Join(ctx, cf.campaign.JoinCode); err != nil {
		t.Fatalf("join after the readmission: %v", err)
	}
	again := syncState{}
	syncAll(t, c, again, 0, 0)
	if again.count(api.KindCampaign) != 1 || again.count(api.KindThread) != 0 {
		t.Errorf("her pull after joining again: %d campaigns, %d conversations; want the campaign and none", again.count(api.KindCampaign), again.count(api.KindThread))
	}
	if _, err := org.ReadmitMember(ctx, vera.Email, cf.campaign.JoinCode); err == nil || !strings.Contains(err.Error(), "is a member of campaign") {
		t.Errorf("a readmission of a member: %v, want it refused", err)
	}
}
