package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

func TestBlock(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	c, assigned, from := texted(t, f, cf, 2)
	a := assigned[0]
	replyFrom(t, f, a, from, "you people are idiots")
	state := syncState{}
	cursor := syncAll(t, c, state, 0, 0)
	block := func(reason, note string) api.MutationResult {
		return push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutBlock, ThreadID: a.ContactID, Reason: reason, Body: note})
	}
	for _, bad := range []string{"", "rude", "Harassment"} {
		r := block(bad, "")
		wantRejected(t, r, api.RejectInvalid)
		if !strings.Contains(r.Reason, "harassment, threats, spam, other") {
			t.Errorf("reason %q: refusal %q does not list the reasons", bad, r.Reason)
		}
	}
	wantRejected(t, block(api.BlockOther, strings.Repeat("x", 2001)), api.RejectInvalid)
	other, _ := f.member("otto", cf)
	wantRejected(t, push(t, other, api.Mutation{ID: uuid.NewString(), Type: api.MutBlock, ThreadID: a.ContactID, Reason: api.BlockSpam}), api.RejectNotAssigned)

	wantApplied(t, block(api.BlockHarassment, "insults"))
	syncAll(t, c, state, cursor, 0)
	if _, ok := state[key(api.KindThread, a.ContactID)]; ok {
		t.Fatal("the blocked thread is still synced to the volunteer")
	}
	// Opted out for the organization, messages kept, abuse report for admins.
	var msgs int
	f.view(func(tx store.Tx) error {
		opted, err := tx.IsOptedOut(ctx, f.org.ID, a.Phone)
		if err != nil || !opted {
			t.Errorf("opted out = %v, %v", opted, err)
		}
		ids, _, err := tx.ThreadChildren(ctx, a.ContactID)
		msgs = len(ids)
		return err
	})
	if msgs != 2 {
		t.Fatalf("%d messages kept, want 2", msgs)
	}
	// A later text from them is kept, not shown.
	replyFrom(t, f, a, from, "answer me")
	before := cursor
	cursor = syncAll(t, c, state, cursor, 0)
	if _, ok := state[key(api.KindThread, a.ContactID)]; ok || cursor < before {
		t.Fatal("a blocked contact's text brought the thread back")
	}
	adminC := f.adminClient()
	ov, err := adminC.AdminOverview(ctx, cf.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.AbuseReports) != 1 {
		t.Fatalf("abuse reports %+v", ov.AbuseReports)
	}
	ar := ov.AbuseReports[0]
	if ar.Reason != api.BlockHarassment || ar.Note != "insults" || ar.ReportedBy != "vera Volunteer" || ar.ContactPhone != a.Phone ||
		ar.LastMessage != "answer me" || ar.ActionTitle != cf.action.Title {
		t.Fatalf("abuse report %+v", ar)
	}
	// Blocking twice (another desktop) is fine; replying is refused.
	wantApplied(t, block(api.BlockSpam, ""))
	wantRejected(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: a.ContactID, MessageID: uuid.NewString(), Body: "hi"}), api.RejectOptedOut)
}

// adminClient signs the fixture's admin in through a fresh token.
func (f *fixture) adminClient() *api.Client {
	f.t.Helper()
	c := api.NewClient(f.ts.URL, f.ts.Client())
	f.update(func(tx store.Tx) error {
		tok := uuid.NewString()
		c.SetToken(tok)
		f.tokens[c] = tok
		sum := sha256.Sum256([]byte(tok)) // the server keeps the hex SHA-256 of a token
		return tx.CreateToken(context.Background(), hex.EncodeToString(sum[:]), f.admin.ID, f.clock.Now())
	})
	return c
}

func TestReassignRules(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 6, numbers: 1, batch: 6})
	c, assigned, from := texted(t, f, cf, 4)
	replyFrom(t, f, assigned[0], from, "What is your position on rent?")
	other, _ := f.member("otto", cf)
	_, volunteer2 := f.member("vic", cf)
	second := f.secondAdmin(cf)
	tests := []struct {
		name string
		by   *api.Client
		m    api.Mutation
		code string // "" = applied
	}{
		{"no target", c, api.Mutation{ThreadID: assigned[3].ContactID}, api.RejectInvalid},
		{"neither thread nor action", c, api.Mutation{ToUserID: f.admin.ID}, api.RejectInvalid},
		{"both thread and action", c, api.Mutation{ThreadID: assigned[3].ContactID, ActionID: cf.action.ID, ToUserID: f.admin.ID}, api.RejectInvalid},
		{"not the owner", other, api.Mutation{ThreadID: assigned[3].ContactID, ToUserID: f.admin.ID}, api.RejectNotAssigned},
		{"to a volunteer", c, api.Mutation{ThreadID: assigned[3].ContactID, ToUserID: volunteer2.ID}, api.RejectInvalid},
		{"to nobody known", c, api.Mutation{ThreadID: assigned[3].ContactID, ToUserID: "nobody"}, api.RejectInvalid},
		{"unknown action", c, api.Mutation{ActionID: "nope", ToUserID: f.admin.ID}, api.RejectInvalid},
		{"to the creator", c, api.Mutation{ThreadID: assigned[0].ContactID, ToUserID: f.admin.ID, Body: "rent question"}, ""},
		{"again, now not the owner", c, api.Mutation{ThreadID: assigned[0].ContactID, ToUserID: second.ID}, api.RejectNotAssigned},
		{"all the rest to a second admin", c, api.Mutation{ActionID: cf.action.ID, ToUserID: second.ID}, ""},
	}
	state := syncState{}
	cursor := syncAll(t, c, state, 0, 0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.m.ID, tt.m.Type = uuid.NewString(), api.MutReassign
			r := push(t, tt.by, tt.m)
			if tt.code == "" {
				wantApplied(t, r)
			} else {
				wantRejected(t, r, tt.code)
			}
		})
	}
	// The feed moved the threads: none left with the volunteer...
	syncAll(t, c, state, cursor, 0)
	if n := state.count(api.KindThread); n != 0 {
		t.Fatalf("volunteer still has %d threads", n)
	}
	// ...the creator has the first, whole, with the note.
	adminState := syncState{}
	syncAll(t, f.adminClient(), adminState, 0, 0)
	th := adminState.thread(t, assigned[0].ContactID)
	if th.OwnerID != f.admin.ID || th.Reassigned == nil || th.Reassigned.FromUserName != "vera Volunteer" || th.Reassigned.Note != "rent question" {
		t.Fatalf("reassigned thread %+v (%+v)", th, th.Reassigned)
	}
	msgs := adminState.messages(t, th.ID)
	if n := len(msgs); n != 2 {
		t.Fatalf("admin got %d messages, want 2", n)
	}
	// The texts the volunteer sent stay theirs in the admin's copy.
	for _, m := range msgs {
		want := ""
		if m.Direction == api.DirOutbound {
			want = "vera Volunteer"
		}
		if m.SentByName != want || (want != "" && m.SentBy == "") {
			t.Fatalf("%s message sent by %q (%q), want %q", m.Direction, m.SentByName, m.SentBy, want)
		}
	}
	if adminState.count(api.KindThread) != 1 {
		t.Fatalf("creator has %d threads, want 1", adminState.count(api.KindThread))
	}
	ov, err := f.adminClient().AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.Reassigned) != 1 || ov.Reassigned[0].ID != th.ID || ov.Reassigned[0].Reassigned == nil {
		t.Fatalf("overview reassigned %+v, %v", ov.Reassigned, err)
	}
	// ...and the second admin the other three.
	var held []store.Thread
	f.view(func(tx store.Tx) error {
		var err error
		held, err = tx.ThreadsOwnedInAction(ctx, second.ID, cf.action.ID)
		return err
	})
	if len(held) != 3 {
		t.Fatalf("second admin holds %d threads, want 3", len(held))
	}
	// Replies now reach the new owner.
	replyFrom(t, f, assigned[0], from, "Still waiting")
	adminState2 := syncState{}
	syncAll(t, f.adminClient(), adminState2, 0, 0)
	if n := len(adminState2.messages(t, th.ID)); n != 3 {
		t.Fatalf("the reply after reassignment did not reach the admin (%d messages)", n)
	}
}

// secondAdmin adds another admin to the campaign.
func (f *fixture) secondAdmin(cf campaignFix) store.User {
	f.t.Helper()
	u := store.User{ID: uuid.NewString(), Name: "Bea Admin", Email: uuid.NewString() + "@example.org", PasswordHash: "x", CreatedAt: baseTime}
	f.update(func(tx store.Tx) error {
		if err := tx.CreateUser(context.Background(), u); err != nil {
			return err
		}
		_, err := tx.AddMembership(context.Background(), store.Membership{CampaignID: cf.campaign.ID, UserID: u.ID, Role: store.RoleAdmin, CreatedAt: baseTime.Add(1)})
		return err
	})
	return u
}

func TestReassignTargetsAndAdminRoutes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	second := f.secondAdmin(cf)
	vol, _ := f.member("vera", cf)
	users, err := vol.ReassignTargets(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].ID != f.admin.ID || users[1].ID != second.ID || users[0].Email != "" {
		t.Fatalf("targets %+v, want the creator then the second admin, without emails", users)
	}
	// An admin never hands a conversation to themselves: the creator is offered the second admin only.
	mine, err := f.adminClient().ReassignTargets(ctx, cf.action.ID)
	if err != nil || len(mine) != 1 || mine[0].ID != second.ID {
		t.Fatalf("the creator's targets %+v (%v), want the second admin alone", mine, err)
	}
	outsider, _ := f.user("olga")
	_, err = outsider.ReassignTargets(ctx, cf.action.ID)
	wantAPIError(t, err, http.StatusNotFound, api.CodeNotFound) // as for no such action: names nothing
	_, err = vol.ReassignTargets(ctx, "nope")
	wantAPIError(t, err, http.StatusNotFound, api.CodeNotFound)

	for _, c := range []*api.Client{vol, outsider} {
		_, err := c.AdminOverview(ctx, cf.campaign.ID)
		wantAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	}
	ov, err := f.adminClient().AdminOverview(ctx, cf.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Reassigned == nil || ov.AbuseReports == nil || ov.Unroutable == nil || ov.OptIns == nil {
		t.Fatalf("empty lists must be [] on the wire: %+v", ov)
	}
	status, _ := f.raw("GET", "/api/v1/campaigns/"+cf.campaign.ID+"/admin", "", nil)
	if status != http.StatusUnauthorized {
		t.Fatalf("no token: %d", status)
	}
}

// A response script's tags are filed with the reply.
func TestResponseScriptSetsTags(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, assigned, from := texted(t, f, cf, 1)
	a := assigned[0]
	replyFrom(t, f, a, from, "I'll be there")
	msgID := uuid.NewString()
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: a.ContactID, MessageID: msgID,
		Body: "Great, see you at the polls.", ResponseScriptID: "vote"}))
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	var rep api.Report
	mustJSON(t, state[key(api.KindReport, "script-"+msgID)].Data, &rep)
	if rep.Values["will_vote"] != "true" || len(rep.Values) != 1 || rep.SubmittedByName != "vera Volunteer" {
		t.Fatalf("script report %+v", rep)
	}
	if th := state.thread(t, a.ContactID); th.LastReportAt == nil {
		t.Fatal("the script's report did not count as a report")
	}
	// A script without tags files nothing.
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: a.ContactID, MessageID: uuid.NewString(),
		Body: "Thanks, Contact0!", ResponseScriptID: "thanks"}))
	syncAll(t, c, state, 0, 0)
	if n := state.count(api.KindReport); n != 1 {
		t.Fatalf("%d reports, want 1", n)
	}
}
