package sync_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/sms/simnet"
	"github.com/textbank/textbank/backend/sync"
)

func TestSendWhileServerDownGoesOutOnceWhenBack(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: instant})
	q := h.batch()
	eventually(t, "online", 5*time.Second, func() bool { return h.engine.Status().Online })

	h.gate.setDown(true)
	msgID := h.send(q[0])
	// The event stream can report the server gone before the push has
	// recorded its failed attempt: wait for both.
	eventually(t, "offline status and a failed push", 5*time.Second, func() bool {
		st := h.engine.Status()
		rows, err := h.cache.Outbox(ctx)
		return !st.Online && st.Pending == 1 && st.LastError != "" && err == nil && len(rows) == 1 && rows[0].Attempts > 0
	})
	rows, err := h.cache.Outbox(ctx)
	if err != nil || len(rows) != 1 || rows[0].Attempts == 0 || rows[0].Rejected {
		t.Fatalf("outbox while down: %+v %v", rows, err)
	}
	if n := h.sentTo(q[0].Phone); n != 0 {
		t.Fatalf("provider saw %d texts while the server was unreachable", n)
	}
	d, _ := h.cache.Thread(ctx, q[0].ContactID)
	if len(d.Messages) != 1 || !d.Messages[0].Pending {
		t.Fatalf("optimistic thread while down: %+v", d)
	}

	h.gate.setDown(false)
	eventually(t, "send delivered after the server came back", 10*time.Second, func() bool {
		d, err := h.cache.Thread(ctx, q[0].ContactID)
		return err == nil && h.pending() == 0 && len(d.Messages) > 0 && d.Messages[0].ID == msgID && !d.Messages[0].Pending &&
			d.Messages[0].Status != api.StatusQueued && h.sentTo(q[0].Phone) > 0
	})
	eventually(t, "online again", 5*time.Second, func() bool { return h.engine.Status().Online })
	if n := h.sentTo(q[0].Phone); n != 1 {
		t.Fatalf("provider saw %d texts to %s, want exactly 1", n, q[0].Phone)
	}

	// The answer to a push is lost after the server applied it: the engine
	// sends it again, and the server must not text the contact twice.
	h.gate.dropPushAnswers.Store(1)
	before := h.gate.pushes.Load()
	h.send(q[1])
	// The dispatcher calls the provider after the push is answered (the
	// message is recorded sending first): wait for the call, then count.
	eventually(t, "lost answer retried and the text sent", 10*time.Second, func() bool {
		return h.pending() == 0 && h.sentTo(q[1].Phone) > 0
	})
	if got := h.gate.pushes.Load() - before; got < 2 {
		t.Fatalf("the push was not retried (%d pushes)", got)
	}
	if n := h.sentTo(q[1].Phone); n != 1 {
		t.Fatalf("provider saw %d texts to %s after a retried push, want exactly 1", n, q[1].Phone)
	}
	// The retry was answered with the first result, not refused (pending
	// counts no refused row, and the first attempt already sent the text).
	h.mu.Lock()
	refused := len(h.rejected)
	h.mu.Unlock()
	if refused != 0 {
		t.Fatalf("the retried push was refused: %+v", h.rejected)
	}
}

func TestReplyArrivesThroughEventStream(t *testing.T) {
	ctx := context.Background()
	// Simulated contacts stay silent; the test plays the contact itself, so
	// the reply lands after every round is over and only the live stream can
	// bring it before the (hour-long) poll timer.
	h := newHarness(t, harnessOpts{netw: simnet.Config{Seed: 3, Mix: simnet.Mix{simnet.Silent: 1}}})
	q := h.batch()
	h.send(q[0])
	th := h.serverThread(q[0].ContactID)
	time.Sleep(100 * time.Millisecond) // let the last round finish
	err := h.inst.Server.Receive(ctx, sms.Inbound{
		ProviderID: "SMtest" + uuid.NewString()[:8], From: q[0].Phone, To: th.Thread.SendingNumber,
		Body: "Yes, I will vote", ReceivedAt: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reply through the event stream", 5*time.Second, func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return len(h.inbound) > 0
	})
	h.mu.Lock()
	n := h.inbound[0]
	h.mu.Unlock()
	if n.ThreadID != q[0].ContactID || n.Body != "Yes, I will vote" || n.ContactName == "" {
		t.Fatalf("new inbound %+v", n)
	}
	// Newest first: the reply tops the unread list, above the demo's own
	// conversations.
	rows, err := h.cache.Threads(ctx, cache.ThreadQuery{Filter: "unread"})
	if err != nil || len(rows) != 1+demo.SeededThreads() || rows[0].ID != q[0].ContactID || !rows[0].NeedsAttention || rows[0].LastMessage != "Yes, I will vote" {
		t.Fatalf("unread threads %+v %v", rows, err)
	}
}

func TestRejectedMutationRollsBack(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: instant, noRun: true})
	q := h.batch()
	// The server takes the contacts back, but this app has not heard yet.
	if _, err := h.api.Release(ctx, h.inst.Info.ActionID, nil); err != nil {
		t.Fatal(err)
	}
	h.send(q[0])
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); h.engine.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	eventually(t, "rejection", 10*time.Second, func() bool { return h.pending() == 0 })
	rows, err := h.cache.Outbox(ctx)
	if err != nil || len(rows) != 1 {
		t.Fatalf("outbox %+v %v", rows, err)
	}
	r := rows[0]
	if !r.Rejected || r.Code != api.RejectNotAssigned || r.Reason == "" || r.ContactName == "" {
		t.Fatalf("outbox row %+v", r)
	}
	if _, err := h.cache.Thread(ctx, q[0].ContactID); !errors.Is(err, cache.ErrNotFound) {
		t.Fatalf("optimistic thread not rolled back: %v", err)
	}
	if n := h.sentTo(q[0].Phone); n != 0 {
		t.Fatalf("provider saw %d texts", n)
	}
	// OnChange hears of the refusal once the round that got it ends, just
	// after the outbox row is marked.
	eventually(t, "the rejection reported", 10*time.Second, func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return len(h.rejected) > 0
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.rejected) != 1 || h.rejected[0].Reason != r.Reason || h.rejected[0].Type != api.MutSendInitial {
		t.Fatalf("OnChange rejections %+v", h.rejected)
	}
}

func TestOfflineFromTheStart(t *testing.T) {
	c, err := cache.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	statuses := make(chan sync.Status, 10)
	e := sync.New(sync.Config{Cache: c, API: api.NewClient("http://127.0.0.1:1", nil), Log: zerolog.Nop(),
		BackoffMin: 5 * time.Millisecond, BackoffMax: 20 * time.Millisecond,
		OnStatus: func(s sync.Status) { statuses <- s }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	select {
	case s := <-statuses:
		if s.Online || s.LastError == "" {
			t.Fatalf("status %+v", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no status")
	}
	if err := e.PullNow(ctx); !errors.Is(err, api.ErrUnreachable) {
		t.Fatalf("PullNow offline: %v", err)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}

// TestFailingPushHoldsNoReplyBack: a server that fails every push with a
// fault of its own (500 internal; a bug a queued change trips, say) keeps
// the change queued and tried again, but a reply still reaches the inbox,
// and the status says something went wrong, not that the server is gone.
func TestFailingPushHoldsNoReplyBack(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: simnet.Config{Seed: 3, Mix: simnet.Mix{simnet.Silent: 1}}})
	q := h.batch()
	h.send(q[0])
	th := h.serverThread(q[0].ContactID)
	h.gate.failPushes.Store(true)
	before := h.gate.pushes.Load()
	h.send(q[1])
	eventually(t, "the push failed and the change kept", 10*time.Second, func() bool {
		st := h.engine.Status()
		return h.gate.pushes.Load() > before && st.Pending == 1 && st.LastError != ""
	})
	if st := h.engine.Status(); st.Connection != sync.Online || !st.Online {
		t.Fatalf("status %+v after the server's own fault, want online (it answered)", st)
	}
	err := h.inst.Server.Receive(ctx, sms.Inbound{
		ProviderID: "SMtest" + uuid.NewString()[:8], From: q[0].Phone, To: th.Thread.SendingNumber,
		Body: "Still voting", ReceivedAt: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reply in the inbox while pushes fail", 10*time.Second, func() bool {
		d, err := h.cache.Thread(ctx, q[0].ContactID)
		return err == nil && len(d.Messages) > 0 && d.Messages[len(d.Messages)-1].Body == "Still voting"
	})
	if n := h.pending(); n != 1 {
		t.Fatalf("%d changes waiting after the failed pushes, want the one still queued", n)
	}
	// The pulls did not take the queued text off its conversation.
	if d, err := h.cache.Thread(ctx, q[1].ContactID); err != nil || len(d.Messages) != 1 || !d.Messages[0].Pending {
		t.Fatalf("the queued text's conversation after the pulls: %+v %v", d, err)
	}
	if n := h.sentTo(q[1].Phone); n != 0 {
		t.Fatalf("provider saw %d texts to %s, whose push the server failed", n, q[1].Phone)
	}
	h.gate.failPushes.Store(false)
	h.engine.Kick()
	eventually(t, "the kept change sent once the fault is gone", 10*time.Second, func() bool {
		return h.pending() == 0 && h.sentTo(q[1].Phone) == 1
	})
}

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
