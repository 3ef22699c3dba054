package server_test

import (
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// TestDispatcherStopRequeuesWaitingTexts: a stopping dispatcher finishes
// the provider calls under way and puts the texts still waiting for a
// worker back in the queue (their provider was never called), instead of
// calling the provider for each of them first.
func TestDispatcherStopRequeuesWaitingTexts(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 20, numbers: 1})
	_, u := f.member("vera", cf)
	number := sendingNumber(f, cf, u)
	gate := f.faults.hold()
	ids := storeFirstTexts(f, cf, u, number, api.StatusQueued)
	// The dispatcher's poll claims them; its 8 workers each start a call
	// (one a worker), held at the gate, and the other 12 wait for a worker.
	f.faults.waitCalls(t, 8)
	f.stopDispatch()
	close(gate)
	select {
	case <-f.dispatched:
	case <-time.After(10 * time.Second):
		t.Fatal("the dispatcher did not stop")
	}
	f.faults.mu.Lock()
	n := f.faults.calls
	f.faults.mu.Unlock()
	if n != 8 {
		t.Fatalf("%d provider calls, want the 8 under way when it stopped", n)
	}
	count := map[string]int{}
	for _, id := range ids {
		count[messageStatus(t, f, id).Status]++
	}
	if count[api.StatusSent] != 8 || count[api.StatusQueued] != 12 {
		t.Fatalf("texts by status %v, want 8 sent and 12 queued again", count)
	}
}
