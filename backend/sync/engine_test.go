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
	if err != nil || len(rows) != 1+demo.SeededUnread() || rows[0].ID != q[0].ContactID || !rows[0].NeedsAttention || rows[0].LastMessage != "Yes, I will vote" {
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
