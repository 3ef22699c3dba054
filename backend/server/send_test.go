package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

func TestSendInitialHappyPath(t *testing.T) {
	f := newFixture(t)
	_, c, u, b := f.texting("Vera", campaignOpts{contacts: 1, numbers: 1})
	contact := b.Assigned[0]
	res, msgID := sendInitial(t, c, contact.ContactID)
	wantApplied(t, res)

	sent := f.sent()
	if len(sent) != 1 {
		t.Fatalf("provider got %d texts, want 1", len(sent))
	}
	want := "Hi Contact0, it's Vera. Will you vote?"
	if sent[0].Body != want || sent[0].To != contact.Phone || sent[0].IdempotencyKey != msgID {
		t.Fatalf("sent %+v, want body %q to %s key %s", sent[0], want, contact.Phone, msgID)
	}
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	th := state.thread(t, contact.ContactID)
	if th.OwnerID != u.ID || th.SendingNumber != sent[0].From || th.LastOutboundAt == nil || th.ContactName != "Contact0 Test" {
		t.Fatalf("thread = %+v", th)
	}
	msgs := state.messages(t, th.ID)
	if len(msgs) != 1 || msgs[0].ID != msgID || msgs[0].Status != api.StatusSent || !msgs[0].Initial || msgs[0].Body != want {
		t.Fatalf("messages = %+v", msgs)
	}
	if n := state.count(api.KindAssignment); n != 0 {
		t.Fatalf("texted contact still an assignment")
	}
}

func TestSendInitialRejections(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	shared := "+12125559001"
	cf := f.campaign(campaignOpts{name: "Main", batch: 20, contacts: 6, numbers: 2, phones: []string{shared}})
	other := f.campaign(campaignOpts{name: "Other", contacts: 1, numbers: 1, phones: []string{shared}})
	// Noon in New York: inside 11:00-12:30 for Text Again, outside by the
	// time the send arrives an hour later.
	quiet := f.campaign(campaignOpts{name: "Lunch", contacts: 1, numbers: 1, hours: store.TextingHours{Start: "11:00", End: "12:30"}})
	c, u := f.member("vera", cf)
	walt, _ := f.member("walt", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, a := range b.Assigned {
		ids[a.Phone] = a.ContactID
	}
	// The shared number gets its first text from the other campaign of the same org.
	oc, _ := f.member("olga", other)
	ob, err := oc.Batch(ctx, other.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := sendInitial(t, oc, ob.Assigned[0].ContactID)
	wantApplied(t, res)

	optedOut, blocked := b.Assigned[1], b.Assigned[2]
	f.update(func(tx store.Tx) error {
		if err := tx.AddOptOut(ctx, store.OptOut{OrganizationID: f.org.ID, Phone: optedOut.Phone, CreatedAt: baseTime}); err != nil {
			return err
		}
		return tx.AddBlock(ctx, store.Block{UserID: u.ID, Phone: blocked.Phone, OrganizationID: f.org.ID, CreatedAt: baseTime})
	})
	qc, _ := f.member("quinn", quiet)
	qb, err := qc.Batch(ctx, quiet.action.ID)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		client interface {
			PushMutations(context.Context, []api.Mutation) (api.MutationsResponse, error)
		}
		mut     api.Mutation
		code    string
		advance time.Duration
	}{
		{"recently texted in the org", c, api.Mutation{Type: api.MutSendInitial, ContactID: ids[shared], MessageID: uuid.NewString()}, api.RejectRecentlyTexted, 0},
		{"opted out", c, api.Mutation{Type: api.MutSendInitial, ContactID: optedOut.ContactID, MessageID: uuid.NewString()}, api.RejectOptedOut, 0},
		{"blocked", c, api.Mutation{Type: api.MutSendInitial, ContactID: blocked.ContactID, MessageID: uuid.NewString()}, api.RejectBlocked, 0},
		{"someone else's contact", walt, api.Mutation{Type: api.MutSendInitial, ContactID: b.Assigned[3].ContactID, MessageID: uuid.NewString()}, api.RejectNotAssigned, 0},
		{"unknown contact", c, api.Mutation{Type: api.MutSendInitial, ContactID: "nope", MessageID: uuid.NewString()}, api.RejectNotAssigned, 0},
		{"wrong action", c, api.Mutation{Type: api.MutSendInitial, ActionID: other.action.ID, ContactID: b.Assigned[3].ContactID, MessageID: uuid.NewString()}, api.RejectNotAssigned, 0},
		{"outside texting hours", qc, api.Mutation{Type: api.MutSendInitial, ContactID: qb.Assigned[0].ContactID, MessageID: uuid.NewString()}, api.RejectQuietHours, time.Hour},
		{"no message id", c, api.Mutation{Type: api.MutSendInitial, ContactID: b.Assigned[3].ContactID}, api.RejectInvalid, 0},
		{"unknown type", c, api.Mutation{Type: "teleport", ThreadID: "x"}, api.RejectInvalid, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(f.sent())
			f.clock.Advance(tc.advance)
			defer f.clock.Advance(-tc.advance)
			tc.mut.ID = uuid.NewString()
			resp, err := tc.client.PushMutations(ctx, []api.Mutation{tc.mut})
			if err != nil {
				t.Fatal(err)
			}
			wantRejected(t, resp.Results[0], tc.code)
			if after := len(f.sent()); after != before {
				t.Fatalf("provider called on a rejected send")
			}
		})
	}

	t.Run("message id already used", func(t *testing.T) {
		res, msgID := sendInitial(t, c, b.Assigned[3].ContactID)
		wantApplied(t, res)
		res = push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: b.Assigned[4].ContactID, MessageID: msgID})
		wantRejected(t, res, api.RejectInvalid)
	})
	t.Run("already texted is no longer assigned", func(t *testing.T) {
		res, _ := sendInitial(t, c, b.Assigned[3].ContactID)
		wantRejected(t, res, api.RejectNotAssigned)
	})
	t.Run("six hours later the shared number may be texted", func(t *testing.T) {
		f.clock.Advance(6*time.Hour + time.Minute)
		defer f.clock.Advance(-(6*time.Hour + time.Minute))
		// Refused, it went back to the pool (refuseAndRelease), with the
		// blocked contact (vera's block, not walt's); the opted-out one
		// is never handed out again.
		wb, err := walt.Batch(ctx, cf.action.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, a := range wb.Assigned {
			got[a.ContactID] = true
		}
		if len(got) != 2 || !got[ids[shared]] || !got[blocked.ContactID] {
			t.Fatalf("walt's batch = %+v, want the shared number and the one vera blocked", wb.Assigned)
		}
		res, _ := sendInitial(t, walt, ids[shared])
		wantApplied(t, res)
	})
}

func TestMutationAppliedOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf, c, _, b := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
	m := api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: b.Assigned[0].ContactID, MessageID: uuid.NewString(), CreatedAt: baseTime}
	for i := range 3 {
		resp, err := c.PushMutations(ctx, []api.Mutation{m, m})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range resp.Results {
			wantApplied(t, r)
		}
		if n := len(f.sent()); n != 1 {
			t.Fatalf("push %d: provider called %d times, want 1", i+1, n)
		}
	}
	t.Run("another user's repeat of the id is rejected", func(t *testing.T) {
		other, _ := f.member("walt", cf)
		res := push(t, other, m)
		wantRejected(t, res, api.RejectIDReused)
		if n := len(f.sent()); n != 1 {
			t.Fatalf("provider called %d times, want 1", n)
		}
	})
	t.Run("a rejection is remembered too", func(t *testing.T) {
		bad := api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: b.Assigned[0].ContactID, MessageID: uuid.NewString()}
		wantRejected(t, push(t, c, bad), api.RejectInvalid)
		wantRejected(t, push(t, c, bad), api.RejectInvalid) // the stored answer
		bad.Body = "now with a body"                        // other content: not a retry
		wantRejected(t, push(t, c, bad), api.RejectIDReused)
	})
	t.Run("too many mutations in one request", func(t *testing.T) {
		many := make([]api.Mutation, 501)
		_, err := c.PushMutations(ctx, many)
		wantAPIError(t, err, 400, api.CodeInvalidField)
	})
}

func TestReplyAndReport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1, noFreeText: true})
	c, u := f.member("vera", cf)
	walt, _ := f.member("walt", cf)
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	thread := b.Assigned[0].ContactID
	res, _ := sendInitial(t, c, thread)
	wantApplied(t, res)

	replies := []struct {
		name   string
		client interface {
			PushMutations(context.Context, []api.Mutation) (api.MutationsResponse, error)
		}
		thread, body string
		code         string
	}{
		{"free text not allowed", c, thread, "Anything I like", api.RejectFreeText},
		{"rendered response script", c, thread, "Thanks, Contact0!", ""},
		{"response script with spaces", c, thread, "  Great, see you at the polls.  ", ""},
		{"empty body", c, thread, "   ", api.RejectInvalid},
		{"not the owner", walt, thread, "Thanks, Contact0!", api.RejectNotAssigned},
		{"unknown thread", c, "nope", "Thanks!", api.RejectNotAssigned},
		{"thread never texted", c, b.Assigned[1].ContactID, "Thanks, Contact1!", api.RejectNotAssigned},
	}
	for _, tc := range replies {
		t.Run("reply "+tc.name, func(t *testing.T) {
			resp, err := tc.client.PushMutations(ctx, []api.Mutation{{ID: uuid.NewString(), Type: api.MutReply,
				ThreadID: tc.thread, MessageID: uuid.NewString(), Body: tc.body}})
			if err != nil {
				t.Fatal(err)
			}
			if tc.code == "" {
				wantApplied(t, resp.Results[0])
			} else {
				wantRejected(t, resp.Results[0], tc.code)
			}
		})
	}

	reports := []struct {
		name   string
		values map[string]string
		code   string
	}{
		{"unknown field", map[string]string{"shoe_size": "9"}, api.RejectInvalid},
		{"tag not boolean", map[string]string{"will_vote": "yes"}, api.RejectInvalid},
		{"choice not listed", map[string]string{"support": "Lukewarm"}, api.RejectInvalid},
		{"number not a number", map[string]string{"age": "old"}, api.RejectInvalid},
		{"good values", map[string]string{"will_vote": "true", "support": "Undecided", "age": "42", "notes": "nice"}, ""},
		{"empty report", nil, ""},
	}
	for _, tc := range reports {
		t.Run("report "+tc.name, func(t *testing.T) {
			r := push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: thread, ReportID: uuid.NewString(), Values: tc.values})
			if tc.code == "" {
				wantApplied(t, r)
			} else {
				wantRejected(t, r, tc.code)
			}
		})
	}

	t.Run("auto archive archives on report", func(t *testing.T) {
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutSettings, Settings: &api.Settings{AutoArchive: true}}))
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: thread, ReportID: uuid.NewString(),
			Values: map[string]string{"will_vote": "true"}}))
		state := syncState{}
		syncAll(t, c, state, 0, 0)
		th := state.thread(t, thread)
		if !th.Archived || th.ArchivedReason != "report" || th.LastReportAt == nil {
			t.Fatalf("thread = %+v, want archived by report", th)
		}
		if !settingsOf(t, state, u.ID).AutoArchive {
			t.Fatal("settings not synced")
		}
		if n := state.count(api.KindReport); n != 3 {
			t.Fatalf("%d reports synced, want 3", n)
		}
	})
	t.Run("read and unarchive", func(t *testing.T) {
		at := baseTime.Add(-time.Minute)
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutRead, ThreadID: thread, At: &at}))
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutArchive, ThreadID: thread, Archived: ptr(false)}))
		wantRejected(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutArchive, ThreadID: thread}), api.RejectInvalid)
		state := syncState{}
		syncAll(t, c, state, 0, 0)
		th := state.thread(t, thread)
		if th.Archived || th.LastReadAt == nil || !th.LastReadAt.Equal(at) {
			t.Fatalf("thread = %+v, want unarchived and read at %v", th, at)
		}
	})
	t.Run("report opt out stops replies", func(t *testing.T) {
		wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: thread, ReportID: uuid.NewString(),
			Values: map[string]string{"opt_out": "true"}}))
		r := push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: thread, MessageID: uuid.NewString(), Body: "Thanks, Contact0!"})
		wantRejected(t, r, api.RejectOptedOut)
		if !strings.Contains(r.Reason, "Contact0") {
			t.Fatalf("reason %q does not name the contact", r.Reason)
		}
	})
}
