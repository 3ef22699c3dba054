package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// replyFrom delivers an inbound text from a contact to the number that
// texted them.
func replyFrom(t *testing.T, f *fixture, a api.Assignment, to, body string) {
	t.Helper()
	f.clock.Advance(time.Second)
	if err := f.srv.Receive(context.Background(), sms.Inbound{ProviderID: uuid.NewString(), From: a.Phone, To: to,
		Body: body, ReceivedAt: f.clock.Now()}); err != nil {
		t.Fatalf("receive %q: %v", body, err)
	}
}

func lastMessage(t *testing.T, state syncState, threadID string) api.Message {
	t.Helper()
	var last api.Message
	for _, m := range state.messages(t, threadID) {
		if m.CreatedAt.After(last.CreatedAt) || last.ID == "" {
			last = m
		}
	}
	return last
}

// Inbound wording that asks to stop without being a keyword is flagged on
// the message; a keyword opts out; an ordinary sentence with "stop" or "end"
// in it is neither.
func TestLikelyOptOutFlagInSync(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 8, numbers: 1, batch: 8})
	c, assigned, from := texted(t, f, cf, 7)
	tests := []struct {
		body     string
		flagged  bool
		optedOut bool
	}{
		{"please take me off your list", true, false},
		{"no more texts please", true, false},
		{"I can't stop now, the rally is at the end of the street", false, false},
		{"What time does it end?", false, false},
		{"CANCEL.", false, true},
		{" quit ", false, true},
		{"Yes I will vote", false, false},
	}
	state := syncState{}
	for i, tt := range tests {
		replyFrom(t, f, assigned[i], from, tt.body)
	}
	syncAll(t, c, state, 0, 0)
	for i, tt := range tests {
		th := state.thread(t, assigned[i].ContactID)
		m := lastMessage(t, state, th.ID)
		if m.Body != tt.body || m.LikelyOptOut != tt.flagged || th.OptedOut != tt.optedOut {
			t.Errorf("%q: message %q likelyOptOut=%v, thread optedOut=%v; want flagged=%v optedOut=%v",
				tt.body, m.Body, m.LikelyOptOut, th.OptedOut, tt.flagged, tt.optedOut)
		}
		raw, _ := json.Marshal(m)
		var wire map[string]any
		_ = json.Unmarshal(raw, &wire)
		if _, present := wire["likelyOptOut"]; present != tt.flagged {
			t.Errorf("%q: likelyOptOut on the wire: %s", tt.body, raw)
		}
	}
}

// Reports say who filed them; a flagged thread stays in Needs Attention
// after an answer until a report decides.
func TestReportAuthorAndOptOutDecision(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, u := f.member("vera", cf)
	b, err := c.Batch(context.Background(), cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := b.Assigned[0]
	res, _ := sendInitial(t, c, a.ContactID)
	wantApplied(t, res)
	from := f.sent()[0].From
	state := syncState{}
	// An early report, then a likely opt-out, then an answer.
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: a.ContactID, ReportID: "r1",
		Values: map[string]string{"support": "Undecided"}}))
	replyFrom(t, f, a, from, "dont text me")
	f.clock.Advance(time.Second)
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: a.ContactID, MessageID: uuid.NewString(), Body: "Sorry to bother you"}))
	cursor := syncAll(t, c, state, 0, 0)
	var rep api.Report
	mustJSON(t, state[key(api.KindReport, "r1")].Data, &rep)
	if rep.SubmittedBy != u.ID || rep.SubmittedByName != "vera Volunteer" {
		t.Fatalf("report author %q %q, want %s vera Volunteer", rep.SubmittedBy, rep.SubmittedByName, u.ID)
	}
	st := stateOf(state.thread(t, a.ContactID))
	var likelyAt *time.Time
	for _, m := range state.messages(t, a.ContactID) {
		if m.LikelyOptOut {
			likelyAt = &m.CreatedAt
		}
	}
	st.LastLikelyOptOutAt = likelyAt
	if likelyAt == nil || !inbox.NeedsAttentionNow(st) {
		t.Fatalf("answered likely opt-out with an older report: needs attention = false, want true (%+v)", st)
	}
	f.clock.Advance(time.Second)
	// Filed with the likely opt-out in the app (its at, as the app sends).
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: a.ContactID, ReportID: "r2",
		Values: map[string]string{"opt_out": "false", "notes": "said it was a joke"}, At: likelyAt}))
	syncAll(t, c, state, cursor, 0)
	st = stateOf(state.thread(t, a.ContactID))
	st.LastLikelyOptOutAt = likelyAt
	if inbox.NeedsAttentionNow(st) || inbox.OptOutUndecided(st) {
		t.Fatalf("a report after the likely opt-out did not decide it: %+v", st)
	}
}

// START/UNSTOP from an opted-out contact is recorded, and does not opt them
// back in.
func TestOptInRecordedNotActedOn(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, assigned, from := texted(t, f, cf, 1)
	a := assigned[0]
	replyFrom(t, f, a, from, "STOP")
	replyFrom(t, f, a, from, "Start")
	replyFrom(t, f, a, from, "start over")
	var optIns []store.OptIn
	var opted bool
	f.view(func(tx store.Tx) error {
		var err error
		if optIns, err = tx.OptIns(context.Background(), cf.campaign.ID, store.MarkAll, 10); err != nil {
			return err
		}
		opted, err = tx.IsOptedOut(context.Background(), f.org.ID, a.Phone)
		return err
	})
	if len(optIns) != 1 || optIns[0].Body != "Start" || optIns[0].Phone != a.Phone {
		t.Fatalf("opt-ins %+v, want the one START", optIns)
	}
	if !opted {
		t.Fatal("START opted the contact back in silently")
	}
	// Delivered to the volunteer but no new work (inbox.ReplyIsNewWork):
	// the thread's last inbound stays the STOP, so the START neither
	// makes it unread nor brings it out of the archive.
	var th store.Thread
	var msgs []string
	f.view(func(tx store.Tx) error {
		var err error
		if th, err = tx.ThreadByID(context.Background(), a.ContactID); err != nil {
			return err
		}
		msgs, _, err = tx.ThreadChildren(context.Background(), a.ContactID)
		return err
	})
	if len(msgs) != 4 || th.LastInboundAt == nil || !th.LastInboundAt.Equal(baseTime.Add(time.Second)) {
		t.Fatalf("after STOP and two later texts: %d messages, last inbound %v; want 4 and the STOP's time", len(msgs), th.LastInboundAt)
	}
	r := push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: a.ContactID, MessageID: uuid.NewString(), Body: "Welcome back"})
	wantRejected(t, r, api.RejectOptedOut)
}

// TestOptInsShownToTheirCampaignsAdmins: a START is recorded for the
// organization, but only the admins of a campaign the contact was texted in
// see it (another campaign's admin sees none of its contacts).
func TestOptInsShownToTheirCampaignsAdmins(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{name: "Texted", contacts: 1, numbers: 1})
	other := f.campaign(campaignOpts{name: "Other", contacts: 1, numbers: 1})
	_, assigned, from := texted(t, f, cf, 1)
	replyFrom(t, f, assigned[0], from, "STOP")
	replyFrom(t, f, assigned[0], from, "Start")
	for _, tc := range []struct {
		campaign string
		want     int
	}{{cf.campaign.ID, 1}, {other.campaign.ID, 0}} {
		ov, err := f.adminClient().AdminOverview(ctx, tc.campaign)
		if err != nil {
			t.Fatal(err)
		}
		if len(ov.OptIns) != tc.want {
			t.Fatalf("campaign %s shows opt-ins %+v, want %d", tc.campaign, ov.OptIns, tc.want)
		}
	}
}

// A contact without a name is named by their number in refusals, as people
// write it.
func TestNamelessContactNamedByNumber(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 0, numbers: 1})
	nameless := store.Contact{ID: uuid.NewString(), ActionID: cf.action.ID, Phone: "+12125550199", Fields: map[string]string{}, CreatedAt: baseTime}
	f.update(func(tx store.Tx) error { return tx.CreateContact(ctx, nameless) })
	c, assigned, from := texted(t, f, cf, 1)
	replyFrom(t, f, assigned[0], from, "STOP")
	r := push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: nameless.ID, MessageID: uuid.NewString(), Body: "ok"})
	wantRejected(t, r, api.RejectOptedOut)
	if !strings.HasPrefix(r.Reason, "(212) 555-0199 has opted out") {
		t.Fatalf("refusal %q does not name the contact by number", r.Reason)
	}
}
