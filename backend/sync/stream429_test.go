package sync_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/sync"
)

// TestStreamThrottleSaysSlowDown: a proxy refusing the event stream with a
// bare 429 (Retry-After: 1) shows the same throttled status as a push's
// 429, though every round goes well meanwhile (live replies wait for the
// poll until the stream is back, so "Online" alone would mislead), and the
// status clears once the stream is open again.
func TestStreamThrottleSaysSlowDown(t *testing.T) {
	h := newHarness(t, harnessOpts{netw: instant, noRun: true})
	h.gate.throttleStreams.Store(1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); h.engine.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	began := time.Now()

	eventually(t, "online and throttled", 5*time.Second, func() bool {
		st := h.engine.Status()
		return st.Online && st.Throttled
	})
	if st := h.engine.Status(); st.Connection != sync.Online || !strings.Contains(st.LastError, "slow down") {
		t.Fatalf("status while the stream waits: %+v; want online, throttled, in slow-down words", st)
	}
	// A round going well meanwhile leaves it throttled: the stream is not back.
	syncs := h.gate.syncs.Load()
	h.engine.Kick()
	eventually(t, "another round", 5*time.Second, func() bool { return h.gate.syncs.Load() > syncs })
	h.engine.RefreshPending() // and republishing the rounds' status does not clear it either
	st := h.engine.Status()
	if time.Since(began) < 900*time.Millisecond && !st.Throttled {
		t.Fatalf("status after a good round, the stream still waiting: %+v; want throttled", st)
	}

	eventually(t, "throttled cleared once the stream is back", 5*time.Second, func() bool { return !h.engine.Status().Throttled })
	if waited := time.Since(began); waited < 800*time.Millisecond {
		t.Fatalf("stream back after %v; the proxy asked for 1 s", waited)
	}
	if st := h.engine.Status(); !st.Online || st.LastError != "" {
		t.Fatalf("status with the stream back: %+v; want online with no error", st)
	}
	// The window heard both: throttled while online, then online again.
	h.mu.Lock()
	defer h.mu.Unlock()
	heard := false
	for _, st := range h.statuses {
		heard = heard || (st.Throttled && st.Online)
	}
	if last := h.statuses[len(h.statuses)-1]; !heard || last.Throttled {
		t.Fatalf("statuses sent to the window: %+v; want a throttled online one, then not throttled", h.statuses)
	}
}
