package sync_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestThrottledPushIsKeptAndSentLater: a push the server refuses for
// coming too fast (429, Retry-After: 1) leaves the change in the outbox,
// not refused, says so in the status, and goes out once, no sooner than
// the server asked (the engine's own backoff here is 10 ms).
func TestThrottledPushIsKeptAndSentLater(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, harnessOpts{netw: instant})
	q := h.batch()
	eventually(t, "online", 5*time.Second, func() bool { return h.engine.Status().Online })

	h.gate.throttlePushes.Store(1)
	before := h.gate.pushes.Load()
	h.send(q[0])
	eventually(t, "a throttled push recorded", 5*time.Second, func() bool {
		rows, err := h.cache.Outbox(ctx)
		return err == nil && len(rows) == 1 && rows[0].Attempts > 0
	})
	throttledAt := time.Now()
	rows, err := h.cache.Outbox(ctx)
	if err != nil || len(rows) != 1 || rows[0].Rejected || !strings.Contains(rows[0].LastError, "try again") {
		t.Fatalf("outbox after a 429: %+v %v; want the change kept, not refused", rows, err)
	}
	if st := h.engine.Status(); !st.Throttled || !st.Online {
		t.Fatalf("status after a 429: %+v; want throttled and online", st)
	}
	eventually(t, "the change sent after the wait", 10*time.Second, func() bool {
		return h.pending() == 0 && h.sentTo(q[0].Phone) > 0
	})
	if waited := time.Since(throttledAt); waited < 800*time.Millisecond {
		t.Fatalf("pushed again after %v; the server asked for 1 s", waited)
	}
	if n := h.sentTo(q[0].Phone); n != 1 {
		t.Fatalf("provider saw %d texts, want exactly 1", n)
	}
	if got := h.gate.pushes.Load() - before; got != 2 {
		t.Fatalf("%d pushes, want the throttled one and one after the wait", got)
	}
	eventually(t, "throttled cleared", 5*time.Second, func() bool { return !h.engine.Status().Throttled })
}
