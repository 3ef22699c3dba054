package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// TestFailedAnswerNoLongerReaches: the contact asked; an answer written
// before the question came went after it (it answers nothing, the thread
// stays in Needs Attention); then the volunteer answered the question and
// that answer failed, at the dispatcher or later at the carrier (a status
// callback). The failed answer had moved the thread's answeredThrough
// past the question, and with the earlier text gone after it, the thread
// read as answered in the app's inbox and the Admin section's rows. Now
// the thread's reach is worked out again from the answers that did not
// fail, and the thread comes back to the app. Both cases fail without
// RecountAnswers.
func TestFailedAnswerNoLongerReaches(t *testing.T) {
	for _, how := range []string{"failed at the provider", "undelivered, said by the carrier later"} {
		t.Run(how, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
			c, assigned, from := texted(t, f, cf, 1)
			a := assigned[0]
			var none time.Time
			f.clock.Advance(time.Minute)
			replyFrom(t, f, a, from, "When is election day?")
			// A report, so only the "no reply since" half is in play.
			wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, CreatedAt: f.clock.Now(), ThreadID: a.ContactID,
				ReportID: uuid.NewString(), Values: map[string]string{"notes": "asked a question"}}))
			f.clock.Advance(time.Minute)
			wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, CreatedAt: f.clock.Now(), ThreadID: a.ContactID,
				MessageID: uuid.NewString(), Body: "Thanks for your time!", At: &none}))
			f.drain()

			ch, err := cache.Open(ctx, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer ch.Close()
			var cursor int64
			needsAttention := func() bool {
				t.Helper()
				cursor = syncInto(t, c, ch, cursor)
				counts, err := ch.Counts(ctx, "")
				if err != nil {
					t.Fatal(err)
				}
				return counts[inbox.NeedsAttention] == 1
			}
			if !needsAttention() {
				t.Fatal("an answer written before the question reads as answering it")
			}

			seen := f.clock.Now().Add(-time.Minute)
			if how == "failed at the provider" {
				f.faults.failSends(a.Phone, &sms.Error{Code: "30006", Message: "Landline or unreachable carrier"})
			}
			f.clock.Advance(time.Minute)
			answer := uuid.NewString()
			wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, CreatedAt: f.clock.Now(), ThreadID: a.ContactID,
				MessageID: answer, Body: "Tuesday Nov 3!", At: &seen}))
			f.drain()
			if how != "failed at the provider" {
				if needsAttention() {
					t.Fatal("an answer that went leaves the thread in Needs Attention")
				}
				pid := messageStatus(t, f, answer).ProviderID
				if err := f.srv.UpdateStatus(ctx, sms.StatusUpdate{ProviderID: pid, Status: sms.StatusUndelivered, ErrorCode: "30003"}); err != nil {
					t.Fatal(err)
				}
			}
			if st := messageStatus(t, f, answer).Status; inbox.Reached(st, "") {
				t.Fatalf("the answer is %s", st)
			}
			if !needsAttention() {
				d, _ := ch.Thread(ctx, a.ContactID)
				t.Fatalf("the answer did not reach the contact, yet the thread left Needs Attention (answered through %v, last in %v)",
					d.Thread.AnsweredThrough, d.Thread.LastInboundAt)
			}
			// The Admin section's rows read the server's thread as the
			// app does (AdminRows' awaitsAnswer).
			f.view(func(tx store.Tx) error {
				th, err := tx.ThreadByID(ctx, a.ContactID)
				if err != nil {
					return err
				}
				if th.AnsweredThrough == nil || !th.AnsweredThrough.Before(*th.LastInboundAt) {
					t.Errorf("the server's thread answers through %v, the question came at %v", th.AnsweredThrough, th.LastInboundAt)
				}
				return nil
			})
		})
	}
}
