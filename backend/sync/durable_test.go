package sync_test

import (
	"context"
	"errors"
	gosync "sync"
	"testing"
	"time"
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

// TestChangeDuringAPullOnTheDiskAtOnce: a change made while the engine's
// round pulls waits for the pull's every page before its push syncs it;
// the kick syncs it meanwhile, beside the pull. The pull's page is held
// until the sync comes (or 5 s).
func TestChangeDuringAPullOnTheDiskAtOnce(t *testing.T) {
	h, syncs := newSyncedHarness(t, nil)
	ctx := context.Background()
	if err := h.engine.PullNow(ctx); err != nil { // the first pages, before the held one
		t.Fatal(err)
	}
	var once gosync.Once
	synced := make(chan bool, 1)
	hold := func() {
		once.Do(func() {
			before := len(syncs.since(0))
			if err := h.cache.SetAutoArchive(ctx, true, time.Now()); err != nil {
				t.Error(err)
			}
			h.engine.Kick() // as the client does after a change
			deadline := time.Now().Add(5 * time.Second)
			for len(syncs.since(0)) == before && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			synced <- len(syncs.since(0)) > before
		})
	}
	h.gate.onSync.Store(&hold)
	h.engine.Kick() // a round: its push has nothing, its pull is held
	select {
	case ok := <-synced:
		if !ok {
			t.Fatal("the change made during the round's pull was not synced while the pull went on")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the round never pulled")
	}
	h.gate.onSync.Store(nil)
}
