package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestMutationIDReusedForOtherContent: an id already applied, pushed again
// for the same type with other content, is refused naming the id and
// changes nothing (answering the first result would lose the second change
// while the app believes it made); a true retry, whatever time zone its
// times are written in, still gets the first result. The first text takes
// the send path's fast route (send_planned.go), the reply the full one.
func TestMutationIDReusedForOtherContent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 2, numbers: 1})
	first, second := b.Assigned[0].ContactID, b.Assigned[1].ContactID

	send := api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: first, MessageID: uuid.NewString(), CreatedAt: baseTime}
	wantApplied(t, push(t, c, send))
	wantApplied(t, push(t, c, send))
	other := send
	other.ContactID, other.MessageID = second, uuid.NewString()
	res := push(t, c, other)
	wantRejected(t, res, api.RejectIDReused)
	if !strings.Contains(res.Reason, send.ID) || !strings.Contains(res.Reason, "different") {
		t.Fatalf("refusal %q does not say the id %s was used for something else", res.Reason, send.ID)
	}
	f.drain()
	if n := len(f.sent()); n != 1 {
		t.Fatalf("provider called %d times, want 1 (the first text only)", n)
	}
	f.view(func(tx store.Tx) error {
		if c, err := tx.ContactByID(ctx, second); err != nil || c.State != store.ContactAssigned {
			t.Errorf("the refused first text's contact: %+v, %v; want still assigned", c, err)
		}
		if _, err := tx.MessageByID(ctx, other.MessageID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the refused first text's message: %v, want not found", err)
		}
		m, err := tx.MutationByID(ctx, send.ID)
		if err != nil || m.Result.Status != api.ResultApplied {
			t.Errorf("stored mutation %+v, %v; want the first, applied", m, err)
		}
		return nil
	})
	wantApplied(t, push(t, c, send)) // the first one's retry, after the refusal

	reply := api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: first, MessageID: uuid.NewString(),
		Body: "Polls open at 7.", CreatedAt: baseTime.Add(time.Minute)}
	wantApplied(t, push(t, c, reply))
	// The same instant written in another zone is the same content.
	again := reply
	again.CreatedAt = reply.CreatedAt.In(time.FixedZone("EST", -5*3600))
	wantApplied(t, push(t, c, again))
	edited := reply
	edited.Body = "Polls open at 8."
	res = push(t, c, edited)
	wantRejected(t, res, api.RejectIDReused)
	if !strings.Contains(res.Reason, reply.ID) {
		t.Fatalf("refusal %q does not name the id %s", res.Reason, reply.ID)
	}
	f.view(func(tx store.Tx) error {
		m, err := tx.MessageByID(ctx, reply.MessageID)
		if err != nil || m.Body != reply.Body {
			t.Errorf("the reply after the refusal: %+v, %v; want the first body", m, err)
		}
		return nil
	})
}

// TestMutationRecordedWithoutFingerprint: a mutation recorded before
// fingerprints were kept (NULL) answers its first result to any repeat of
// its id of the same type, as before: an app upgraded with a push in
// flight is not refused its own retry.
func TestMutationRecordedWithoutFingerprint(t *testing.T) {
	f := newFixture(t)
	_, c, u, b := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
	id := uuid.NewString()
	f.update(func(tx store.Tx) error {
		return tx.PutMutation(context.Background(), store.Mutation{ID: id, UserID: u.ID, Type: api.MutSendInitial,
			Result: store.MutationResult{ID: id, Status: api.ResultApplied}, CreatedAt: baseTime})
	})
	wantApplied(t, push(t, c, api.Mutation{ID: id, Type: api.MutSendInitial, ContactID: b.Assigned[0].ContactID, MessageID: uuid.NewString()}))
	f.drain()
	if n := len(f.sent()); n != 0 {
		t.Fatalf("provider called %d times, want 0 (the stored result answers)", n)
	}
}
