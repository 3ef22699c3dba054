package sync_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// TestChangeTheServerKeepsFailingCanBeDiscarded: a change the server fails
// every time (500 internal) holds back the changes queued after it, since
// they go in order. Only its faults are counted (it is pushed alone to
// tell which of a push trips the server); once there are
// cache.FaultsBeforeDiscard of them over cache.FaultSpan the volunteer may
// discard it: it is
// rolled back, never sent, and the changes after it go at once. A change
// without such faults may not be discarded, and failures while the server
// fails everything (an outage) are no change's faults.
func TestChangeTheServerKeepsFailingCanBeDiscarded(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: simnet.Config{Seed: 3, Mix: simnet.Mix{simnet.Silent: 1}}})
	q := h.batch()
	h.send(q[0])
	h.serverThread(q[0].ContactID)
	// The body of q[1]'s text trips the server; q[2]'s, queued after it, not.
	poisoned := uuid.NewString()
	h.gate.poison.Store(&poisoned)
	// While the server fails everything (an outage), nothing is any
	// change's fault: none may be discarded.
	h.gate.failSyncs.Store(true)
	h.gate.failPushes.Store(true)
	before := h.gate.pushes.Load()
	h.sendWithID(q[1], poisoned)
	h.send(q[2])
	eventually(t, "pushes failed during the outage", 10*time.Second, func() bool { return h.gate.pushes.Load() >= before+6 })
	if rows, err := h.cache.Outbox(ctx); err != nil || len(rows) != 2 || rows[0].Faults != 0 || rows[1].Faults != 0 || rows[0].Attempts < 2 {
		t.Fatalf("outbox after the outage's failed pushes %+v %v; want attempts, no faults", rows, err)
	}
	h.gate.failSyncs.Store(false)
	h.gate.failPushes.Store(false)
	var bad, good cache.OutboxRow
	faults := func(n int) {
		t.Helper()
		eventually(t, "the failing change's faults counted", 20*time.Second, func() bool {
			rows, err := h.cache.Outbox(ctx)
			if err != nil || len(rows) != 2 {
				return false
			}
			bad, good = rows[0], rows[1]
			return bad.Faults >= n
		})
	}
	faults(cache.FaultsBeforeDiscard)
	if bad.Mutation.MessageID != poisoned || good.Faults != 0 {
		t.Fatalf("faults: %s has %d, %s has %d; want them on the failing change only", bad.Mutation.MessageID, bad.Faults, good.Mutation.MessageID, good.Faults)
	}
	// Within seconds, however many: not yet (a bad deploy rolled back, a
	// full disk freed).
	if _, _, err := h.engine.Discard(ctx, bad.Mutation.ID, "discarded"); !errors.Is(err, cache.ErrNotFailing) {
		t.Fatalf("discarding a change failed only for seconds: %v; want ErrNotFailing", err)
	}
	h.later(cache.FaultSpan)
	faults(bad.Faults + 1)
	if n := h.sentTo(q[2].Phone); n != 0 {
		t.Fatalf("the change after the failing one was sent %d times; want held back in order", n)
	}
	if _, _, err := h.engine.Discard(ctx, good.Mutation.ID, "discarded"); !errors.Is(err, cache.ErrNotFailing) {
		t.Fatalf("discarding a change the server has not failed: %v; want ErrNotFailing", err)
	}
	r, threads, err := h.engine.Discard(ctx, bad.Mutation.ID, "You discarded this change")
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != api.MutSendInitial || len(threads) != 1 || threads[0] != q[1].ContactID {
		t.Fatalf("discarded %+v, threads %v; want the first text to %s", r, threads, q[1].ContactID)
	}
	h.engine.Kick()
	eventually(t, "the change after it sent once it is discarded", 10*time.Second, func() bool {
		return h.pending() == 0 && h.sentTo(q[2].Phone) == 1
	})
	if n := h.sentTo(q[1].Phone); n != 0 {
		t.Fatalf("the discarded text was sent %d times", n)
	}
	queue, err := h.cache.Assignments(ctx, h.inst.Info.ActionID)
	if err != nil {
		t.Fatal(err)
	}
	back := false
	for _, a := range queue {
		back = back || a.ContactID == q[1].ContactID
	}
	if !back {
		t.Fatalf("the discarded text's contact is not back in the queue: %+v", queue)
	}
}

// TestDiscardAChangeTheServerSaved: a server whose fault comes after its
// commit saves a change and answers 500 every time. The round's pull
// brings the server's copy while the change stays queued and collects
// faults; the volunteer's Discard then settles it as applied
// (cache.ErrReachedServer) rather than rolling back over that copy: the
// text shows sent, once, its contact stays out of the queue, and the
// outbox goes on.
func TestDiscardAChangeTheServerSaved(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: simnet.Config{Seed: 3, Mix: simnet.Mix{simnet.Silent: 1}}})
	q := h.batch()
	saved := uuid.NewString()
	h.gate.savePoison.Store(&saved)
	h.sendWithID(q[0], saved)
	var row cache.OutboxRow
	eventually(t, "the saved change's faults counted", 20*time.Second, func() bool {
		rows, err := h.cache.Outbox(ctx)
		if err != nil || len(rows) != 1 {
			return false
		}
		row = rows[0]
		return row.Faults >= cache.FaultsBeforeDiscard
	})
	eventually(t, "the server's copy pulled while the change waits", 10*time.Second, func() bool {
		d, err := h.cache.Thread(ctx, q[0].ContactID)
		return err == nil && len(d.Messages) == 1 && d.Messages[0].ID == saved && !d.Messages[0].Pending && h.pending() == 1
	})
	h.later(cache.FaultSpan)
	r, threads, err := h.engine.Discard(ctx, row.Mutation.ID, "You discarded this change")
	if !errors.Is(err, cache.ErrReachedServer) {
		t.Fatalf("discard a change the server saved: %v; want ErrReachedServer", err)
	}
	if r.Type != api.MutSendInitial || len(threads) != 1 || threads[0] != q[0].ContactID {
		t.Fatalf("settled %+v, threads %v; want the first text to %s", r, threads, q[0].ContactID)
	}
	if n := h.pending(); n != 0 {
		t.Fatalf("%d changes waiting; want the saved one settled", n)
	}
	d, err := h.cache.Thread(ctx, q[0].ContactID)
	if err != nil || len(d.Messages) != 1 || d.Messages[0].ID != saved || d.Messages[0].Status == api.StatusFailed || d.Messages[0].Pending {
		t.Fatalf("the saved text's thread %+v %v; want the text as the server has it", d, err)
	}
	queue, err := h.cache.Assignments(ctx, h.inst.Info.ActionID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range queue {
		if a.ContactID == q[0].ContactID {
			t.Fatalf("the texted contact is back in the queue: %+v", queue)
		}
	}
	// The outbox goes on; the saved text went out once.
	h.send(q[1])
	eventually(t, "the next change sent", 10*time.Second, func() bool {
		return h.pending() == 0 && h.sentTo(q[1].Phone) == 1
	})
	if n := h.sentTo(q[0].Phone); n != 1 {
		t.Fatalf("the saved text went out %d times; want once", n)
	}
}

// TestReadTheServerKeepsFailingIsForgotten: a conversation marked read is
// housekeeping the Outbox does not list, so the volunteer could never
// discard it; once it could be discarded (cache.Discardable) it is
// forgotten by itself (the conversation unread again, as the server
// has it), and the text queued after it goes.
func TestReadTheServerKeepsFailingIsForgotten(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: simnet.Config{Seed: 3, Mix: simnet.Mix{simnet.Silent: 1}}})
	q := h.batch()
	h.send(q[0])
	th := h.serverThread(q[0].ContactID)
	err := h.inst.Server.Receive(ctx, sms.Inbound{
		ProviderID: "SMtest" + uuid.NewString()[:8], From: q[0].Phone, To: th.Thread.SendingNumber,
		Body: "Who is this?", ReceivedAt: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reply, unread", 10*time.Second, func() bool {
		d, err := h.cache.Thread(ctx, q[0].ContactID)
		return err == nil && d.Unread && d.Messages[len(d.Messages)-1].Body == "Who is this?"
	})
	poison := `"type":"read"`
	h.gate.poison.Store(&poison)
	if err := h.cache.MarkRead(ctx, q[0].ContactID, time.Now()); err != nil {
		t.Fatal(err)
	}
	h.send(q[1])
	eventually(t, "the read's first fault", 10*time.Second, func() bool {
		rows, err := h.cache.Outbox(ctx)
		return err == nil && len(rows) > 0 && rows[0].Faults > 0
	})
	h.later(cache.FaultSpan)
	eventually(t, "the read forgotten and the text after it sent", 20*time.Second, func() bool {
		return h.pending() == 0 && h.sentTo(q[1].Phone) == 1
	})
	if d, err := h.cache.Thread(ctx, q[0].ContactID); err != nil || !d.Unread {
		t.Fatalf("the conversation after its read was forgotten: unread %v, %v; want unread, as the server has it", d.Unread, err)
	}
}
