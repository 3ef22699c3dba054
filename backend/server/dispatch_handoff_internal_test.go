package server

import (
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// TestHandoffSlots: sends take slots only while a dispatcher runs and a
// slot is free, leaving the claims' room while texts may be queued; a
// queue is cleared only by a claim that began after the last text was
// queued and found it empty; a stopping dispatcher waits for every
// reserved slot, and texts given after it stopped are refused (their
// caller queues them again).
func TestHandoffSlots(t *testing.T) {
	var h handoff
	if h.reserve() {
		t.Fatal("a slot was reserved with no dispatcher running")
	}
	jobs := make(chan store.Outgoing, 4)
	h.open(jobs, 4, 2)
	// Texts may be queued from before the start: the claims' room is kept.
	for i := range 2 {
		if !h.reserve() {
			t.Fatalf("reservation %d of the 2 outside the claims' room refused", i+1)
		}
	}
	if h.reserve() {
		t.Fatal("a slot of the claims' room was reserved before the first claim looked at the queue")
	}
	n, ticket := h.claimable(1, 4)
	if n != 2 {
		t.Fatalf("claimable = %d, want the 2 slots free", n)
	}
	h.took(n, 0, ticket, true)
	for i := range 2 {
		if !h.reserve() {
			t.Fatalf("reservation %d of the last 2 refused once the queue was found empty", i+1)
		}
	}
	if h.reserve() {
		t.Fatal("a fifth slot of 4 was reserved")
	}
	h.release(1)
	if h.reserve() {
		t.Fatal("a slot of the claims' room was reserved while a text refused one is queued")
	}
	// A claim that began before a commit queued texts does not clear the
	// queue, even when it finds none; one begun after does.
	if n, _ := h.claimable(2, 4); n != 0 {
		t.Fatalf("claimable = %d with 1 slot free, want 0 below the minimum claim", n)
	}
	h.release(1)
	n, ticket = h.claimable(2, 4)
	h.queued()
	h.took(n, 0, ticket, true)
	if h.reserve() {
		t.Fatal("a claim begun before the last queued text cleared the queue")
	}
	n, ticket = h.claimable(2, 4)
	h.took(n, 0, ticket, false)
	if h.reserve() {
		t.Fatal("a failed claim cleared the queue")
	}
	n, ticket = h.claimable(2, 4)
	h.took(n, 0, ticket, true)
	if !h.reserve() {
		t.Fatal("no slot after a claim found the queue empty")
	}
	// Three slots are held now; one is handed over.
	if refused := h.give([]store.Outgoing{{Message: store.Message{ID: "m1"}}}); refused {
		t.Fatal("a text was refused while the dispatcher runs")
	}
	if got := (<-jobs).ID; got != "m1" {
		t.Fatalf("worker got %q, want m1", got)
	}
	closed := make(chan struct{})
	go func() { h.close(); close(closed) }()
	select {
	case <-closed:
		t.Fatal("the dispatcher stopped while sends held slots")
	case <-time.After(20 * time.Millisecond):
	}
	if refused := h.give([]store.Outgoing{{Message: store.Message{ID: "m2"}}}); !refused {
		t.Fatal("a text was handed to a stopped dispatcher")
	}
	h.release(h.heldNow())
	<-closed
	if h.reserve() {
		t.Fatal("a slot was reserved after the dispatcher stopped")
	}
}

func (h *handoff) heldNow() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.held
}

// TestHandoffUnderSteadyQueueing: when every claim runs while commits
// queue texts (so none clears the queue), sends still hand their texts
// over up to the claims' room, and each claim still finds that room. With
// sends taking no slot while texts were queued, a steady load queued
// every text for good.
func TestHandoffUnderSteadyQueueing(t *testing.T) {
	var h handoff
	const capacity, room = 8, 2
	h.open(make(chan store.Outgoing, capacity), capacity, room)
	for round := range 5 {
		handed := 0
		for h.reserve() {
			handed++
		}
		if round == 0 && handed != capacity-room {
			t.Fatalf("round %d: %d sends took a slot, want %d", round, handed, capacity-room)
		}
		n, ticket := h.claimable(room, room)
		if n != room {
			t.Fatalf("round %d: claimable = %d, want the claims' room %d", round, n, room)
		}
		h.queued() // a send that found no slot committed meanwhile
		h.took(n, n-1, ticket, true)
		// The texts' calls end: the claimed one and the sends'.
		h.done(n - 1)
		h.release(handed)
		if handed == 0 {
			t.Fatalf("round %d: no send took a slot", round)
		}
	}
}
