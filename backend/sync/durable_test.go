package sync_test

import (
	"errors"
	gosync "sync"
	"testing"
)

// outboxSyncs is an engine's sync of the cache that records, at each call,
// how many pushes the server had seen, and answers err (else the cache's
// own sync's answer).
type outboxSyncs struct {
	mu  gosync.Mutex
	h   *harness
	at  []int32
	err error
}

func (s *outboxSyncs) sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.at = append(s.at, s.h.gate.pushes.Load())
	if s.err != nil {
		return s.err
	}
	return s.h.cache.Durable()
}

func (s *outboxSyncs) since(n int) []int32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int32(nil), s.at[n:]...)
}

func newSyncedHarness(t *testing.T, fail error) (*harness, *outboxSyncs) {
	syncs := &outboxSyncs{err: fail}
	syncs.mu.Lock() // until the harness is there to read
	h := newHarness(t, harnessOpts{netw: instant, durable: syncs.sync})
	syncs.h = h
	syncs.mu.Unlock()
	return h, syncs
}

// TestOutboxOnTheDiskBeforeItsPush: the cache commits with
// synchronous=NORMAL, so a machine's crash could undo a send the window
// showed done, its outbox row with it. The push that the send kicks syncs
// the cache first: a sync made with the server's pushes as they were
// before the send's, then the push.
func TestOutboxOnTheDiskBeforeItsPush(t *testing.T) {
	h, syncs := newSyncedHarness(t, nil)
	a := h.batch()[0]
	before := len(syncs.since(0))
	pushes := h.gate.pushes.Load()
	h.send(a)
	h.serverThread(a.ContactID)
	got := syncs.since(before)
	if len(got) == 0 || got[0] != pushes {
		t.Fatalf("pushes the server had seen at each sync since the send: %v, want a first at %d (before the send's push)", got, pushes)
	}
	if h.gate.pushes.Load() == pushes {
		t.Fatal("the send was never pushed")
	}
}

// TestOutboxPushedWhenItsSyncFails: a cache whose disk fails the sync
// still pushes the change: the server, once it answers, holds it.
func TestOutboxPushedWhenItsSyncFails(t *testing.T) {
	h, syncs := newSyncedHarness(t, errors.New("input/output error"))
	a := h.batch()[0]
	h.send(a)
	h.serverThread(a.ContactID)
	if len(syncs.since(0)) == 0 {
		t.Fatal("no sync was tried")
	}
}
