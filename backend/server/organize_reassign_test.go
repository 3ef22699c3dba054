package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestOrganizerReassignsAVolunteersConversations: `textbankd
// conversations reassign` hands every conversation a volunteer holds in a
// campaign to an organizer, as their Reassign All would: gone from their
// app, in the organizer's with the note and who held them, replies routed
// there. Bad requests are named and change nothing.
func TestOrganizerReassignsAVolunteersConversations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 4, numbers: 1, batch: 4})
	c, assigned, from := texted(t, f, cf, 3)
	vera, err := c.Me(ctx) // texted's volunteer
	if err != nil {
		t.Fatal(err)
	}
	_, vic := f.member("vic", cf)
	second := f.secondAdmin(cf)
	_, otto := f.user("otto")
	org := f.organizer(f.st)
	held := func(userID string) int {
		t.Helper()
		var ths []store.Thread
		f.view(func(tx store.Tx) error {
			var err error
			ths, err = tx.ThreadsOwnedInAction(ctx, userID, cf.action.ID)
			return err
		})
		return len(ths)
	}

	for _, bad := range []struct {
		name                  string
		email, code, to, note string
		want                  string
	}{
		{"no account", "nobody@example.org", cf.campaign.JoinCode, "", "", "no account has email nobody@example.org"},
		{"not a member", otto.Email, cf.campaign.JoinCode, "", "", "has not joined campaign"},
		{"no campaign", vera.Email, "999999", "", "", "999999"},
		{"to themself", vera.Email, cf.campaign.JoinCode, vera.Email, "", "whose conversations these are"},
		{"to a volunteer", vera.Email, cf.campaign.JoinCode, vic.Email, "", "is not an organizer of campaign"},
		{"to nobody", vera.Email, cf.campaign.JoinCode, "ghost@example.org", "", "no account has email ghost@example.org"},
		{"note too long", vera.Email, cf.campaign.JoinCode, "", strings.Repeat("x", 3000), "the note is 3000 characters"},
	} {
		if _, err := org.ReassignConversations(ctx, bad.email, bad.code, bad.to, bad.note); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: %v, want an error saying %q", bad.name, err, bad.want)
		}
	}
	var res server.Reassigned
	if n := held(vera.ID); n != 3 {
		t.Fatalf("after the refusals vera holds %d conversations, want 3", n)
	}

	// Without --to: the action's creator takes them.
	res, err = org.ReassignConversations(ctx, strings.ToUpper(vera.Email), cf.campaign.JoinCode, "", "Vera moved away")
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 3 || len(res.To) != 1 || res.To[0].Email != f.admin.Email || res.To[0].Conversations != 3 || res.Email != vera.Email {
		t.Fatalf("result %+v", res)
	}
	if held(vera.ID) != 0 || held(f.admin.ID) != 3 {
		t.Fatalf("vera holds %d, the creator %d; want 0 and 3", held(vera.ID), held(f.admin.ID))
	}
	// Gone from her app; in the organizer's, noted.
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	if n := state.count(api.KindThread); n != 0 {
		t.Errorf("vera's app still has %d conversations", n)
	}
	adminState := syncState{}
	syncAll(t, f.adminClient(), adminState, 0, 0)
	th := adminState.thread(t, assigned[0].ContactID)
	if th.Reassigned == nil || th.Reassigned.FromUserName != vera.Name || th.Reassigned.Note != "Vera moved away" {
		t.Fatalf("the organizer's copy %+v", th.Reassigned)
	}
	replyFrom(t, f, assigned[0], from, "Hello?")
	adminState2 := syncState{}
	syncAll(t, f.adminClient(), adminState2, 0, 0)
	if n := len(adminState2.messages(t, th.ID)); n != 2 {
		t.Fatalf("the reply after the handover did not reach the organizer (%d messages)", n)
	}

	// Again: nothing left to hand over.
	res, err = org.ReassignConversations(ctx, vera.Email, cf.campaign.JoinCode, second.Email, "")
	if err != nil || res.Total != 0 || len(res.To) != 0 {
		t.Fatalf("a second run: %+v %v", res, err)
	}
	// The creator handing their own to the second admin needs --to.
	if _, err := org.ReassignConversations(ctx, f.admin.Email, cf.campaign.JoinCode, "", ""); err == nil || !strings.Contains(err.Error(), "--to EMAIL") {
		t.Fatalf("the creator's own without --to: %v", err)
	}
	res, err = org.ReassignConversations(ctx, f.admin.Email, cf.campaign.JoinCode, second.Email, "")
	if err != nil || res.Total != 3 || res.To[0].Email != second.Email || held(second.ID) != 3 {
		t.Fatalf("to the second admin: %+v %v (holds %d)", res, err, held(second.ID))
	}
}
