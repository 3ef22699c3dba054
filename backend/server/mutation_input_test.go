package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// Inputs that a well-behaved app never sends, refused before they store
// anything: each once let a push through that left data the app could not
// show or a later push could not get past.

// TestReportIDOfAScriptTagRefused: a volunteer's report id may not take
// the form of the id a response script's tags are filed under, or the
// reply that files them fails on every retry and the outbox is stuck.
func TestReportIDOfAScriptTagRefused(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, assigned, _ := texted(t, f, cf, 1)
	th := assigned[0].ContactID
	msgID := uuid.NewString()
	r := push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: th, ReportID: "script-" + msgID,
		Values: map[string]string{"notes": "x"}})
	wantRejected(t, r, api.RejectInvalid)
	if !strings.Contains(r.Reason, "script-") {
		t.Fatalf("refusal %q does not name what was wrong", r.Reason)
	}
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: th,
		MessageID: msgID, Body: "Great, see you at the polls.", ResponseScriptID: "vote", CreatedAt: baseTime}))
	var rep store.Report
	f.view(func(tx store.Tx) error {
		var err error
		rep, err = tx.ReportByID(context.Background(), "script-"+msgID)
		return err
	})
	if rep.Values["will_vote"] != "true" || rep.Values["notes"] != "" {
		t.Fatalf("the script's report is %+v, want the tag alone", rep.Values)
	}
}

// TestTrailingDataRefused: a body with anything after its JSON value is
// refused whole (400), and none of it is applied.
func TestTrailingDataRefused(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, assigned, _ := texted(t, f, cf, 1)
	th := assigned[0].ContactID
	archived := func() bool {
		var yes bool
		f.view(func(tx store.Tx) error {
			row, err := tx.ThreadByID(context.Background(), th)
			if err != nil {
				return err
			}
			st, err := tx.InboxState(context.Background(), row.OwnerID, th)
			yes = st.Archived
			return err
		})
		return yes
	}
	one := `{"mutations":[{"id":"m1","type":"archive","threadId":"` + th + `","archived":true}]}`
	for _, tail := range []string{`{"mutations":[]}`, ` garbage`, `]`} {
		status, out := f.raw("POST", "/api/v1/mutations", f.token(c), one+tail)
		var e api.ErrorBody
		_ = json.Unmarshal(out, &e)
		if status != 400 || e.Error.Code != api.CodeBadRequest || !strings.Contains(e.Error.Message, "data after its JSON value") {
			t.Fatalf("body with %q after it = %d %s, want 400 naming the trailing data", tail, status, out)
		}
		if archived() {
			t.Fatalf("body with %q after it archived the thread", tail)
		}
	}
	status, out := f.raw("POST", "/api/v1/mutations", f.token(c), one+"\n")
	if status != 200 || !strings.Contains(string(out), `"applied"`) || !archived() {
		t.Fatalf("the body alone, with a newline = %d %s, want applied", status, out)
	}
}

// TestRefusedFirstTextTakesNoNumber: a first text refused (the script
// changed) leaves the volunteer without a sending number as before; the
// number is taken by the text that goes.
func TestRefusedFirstTextTakesNoNumber(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 0})
	c, u := f.member("vera", cf)
	f.update(func(tx store.Tx) error { return tx.AddSendingNumber(ctx, cf.campaign.ID, "+12025559999", baseTime) })
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	number := func() string {
		var n string
		f.view(func(tx store.Tx) error {
			var err error
			n, err = tx.SendingNumber(ctx, cf.campaign.ID, u.ID)
			if errors.Is(err, store.ErrNotFound) {
				err = nil
			}
			return err
		})
		return n
	}
	r := push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: b.Assigned[0].ContactID,
		MessageID: uuid.NewString(), Body: "not the script"})
	wantRejected(t, r, api.RejectScriptChanged)
	if n := number(); n != "" {
		t.Fatalf("a refused first text assigned %s", n)
	}
	res, _ := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	if n := number(); n != "+12025559999" {
		t.Fatalf("after the text went, the number is %q", n)
	}
}

// TestBlockedThreadClosed: once its owner blocked a contact, reading,
// archiving or reporting on the conversation is refused and stores nothing.
func TestBlockedThreadClosed(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	c, assigned, _ := texted(t, f, cf, 1)
	th := assigned[0].ContactID
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutBlock, ThreadID: th, Reason: api.BlockSpam}))
	yes := true
	reportID := uuid.NewString()
	for _, m := range []api.Mutation{
		{Type: api.MutReport, ThreadID: th, ReportID: reportID, Values: map[string]string{"notes": "after block"}},
		{Type: api.MutRead, ThreadID: th},
		{Type: api.MutArchive, ThreadID: th, Archived: &yes},
	} {
		m.ID = uuid.NewString()
		r := push(t, c, m)
		wantRejected(t, r, api.RejectBlocked)
		if !strings.Contains(r.Reason, "you blocked") {
			t.Fatalf("%s refusal %q", m.Type, r.Reason)
		}
	}
	f.view(func(tx store.Tx) error {
		if _, err := tx.ReportByID(context.Background(), reportID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the report on a blocked thread was stored (%v)", err)
		}
		return nil
	})
	// Blocking again (a second desktop's queued block) is still fine.
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutBlock, ThreadID: th, Reason: api.BlockSpam}))
}

// TestReplyTakesNoSendingNumber: a reply goes from its conversation's own
// number, so the admin a conversation was handed to, who has no number in
// the campaign, neither needs nor takes one to answer.
func TestReplyTakesNoSendingNumber(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	c, assigned, from := texted(t, f, cf, 1)
	replyFrom(t, f, assigned[0], from, "What is your position on rent?")
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ThreadID: assigned[0].ContactID, ToUserID: f.admin.ID}))
	wantApplied(t, push(t, f.adminClient(), api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: assigned[0].ContactID,
		MessageID: uuid.NewString(), Body: "We are for rent control."}))
	f.view(func(tx store.Tx) error {
		if n, err := tx.SendingNumber(ctx, cf.campaign.ID, f.admin.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the admin's reply assigned them sending number %q (%v)", n, err)
		}
		return nil
	})
	f.drain()
	if sent := f.sent(); sent[len(sent)-1].From != from {
		t.Fatalf("the reply went from %s, want the conversation's %s", sent[len(sent)-1].From, from)
	}
}

// TestMutationIDReusedForAnotherType: an id already used, sent again for
// another kind of change, is refused rather than answered "applied" for a
// change that was never made; a true retry still gets its first answer.
func TestMutationIDReusedForAnotherType(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, assigned, from := texted(t, f, cf, 1)
	replyFrom(t, f, assigned[0], from, "Who is this?")
	id := uuid.NewString()
	read := api.Mutation{ID: id, Type: api.MutRead, ThreadID: assigned[0].ContactID, At: &baseTime}
	wantApplied(t, push(t, c, read))
	archived := true
	res := push(t, c, api.Mutation{ID: id, Type: api.MutArchive, ThreadID: assigned[0].ContactID, Archived: &archived})
	if res.Status != api.ResultRejected || res.Code != api.RejectIDReused || !strings.Contains(res.Reason, "already used for a read") {
		t.Fatalf("an id reused for an archive: %+v", res)
	}
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	if th := state.thread(t, assigned[0].ContactID); th.Archived {
		t.Fatal("the refused archive archived the thread")
	}
	wantApplied(t, push(t, c, read)) // the retry of the read itself
}
