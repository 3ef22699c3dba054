package sync_test

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/sms/simnet"
	"github.com/textbank/textbank/backend/sync"
)

// The event stream is the line to the server: when it drops the engine says
// offline at once, without waiting for a round to fail (the poll timer is an
// hour here and nothing kicks it), and online again once it is back.
func TestStreamDropIsOfflineAtOnce(t *testing.T) {
	h := newHarness(t, harnessOpts{netw: simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}}})
	if st := h.engine.Status(); st.Connection != sync.Connecting && st.Connection != sync.Online {
		t.Fatalf("first status %+v", st)
	}
	eventually(t, "online", 10*time.Second, func() bool { return h.engine.Status().Connection == sync.Online })
	time.Sleep(50 * time.Millisecond) // the first round is over

	h.gate.setDown(true)
	went := time.Now()
	eventually(t, "offline", 10*time.Second, func() bool {
		st := h.engine.Status()
		return st.Connection == sync.Offline && !st.Online && st.LastError != ""
	})
	t.Logf("offline reported %s after the server went away", time.Since(went))
	h.mu.Lock()
	last := h.statuses[len(h.statuses)-1]
	h.mu.Unlock()
	if last.Connection != sync.Offline {
		t.Fatalf("OnStatus last heard %+v", last)
	}

	h.gate.setDown(false)
	eventually(t, "online again", 10*time.Second, func() bool { return h.engine.Status().Connection == sync.Online })
}

// A local change moves the pending count the window sees at once.
func TestRefreshPendingPublishesTheCount(t *testing.T) {
	h := newHarness(t, harnessOpts{netw: instant, noRun: true})
	q := h.batch()
	if err := h.cache.SendInitial(context.Background(), q[0].ActionID, q[0].ContactID, "m1", "Hi", time.Now()); err != nil {
		t.Fatal(err)
	}
	h.engine.RefreshPending()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.statuses) == 0 || h.statuses[len(h.statuses)-1].Pending != 1 {
		t.Fatalf("statuses %+v", h.statuses)
	}
}

// A session signed out on another device ends its event stream on the
// server; the engine asks again at once, gets the 401, and says the session
// is over without waiting for a round (the poll timer is an hour) and
// without calling the server offline on the way.
func TestStreamEndedBySignOutSaysSignedOut(t *testing.T) {
	h := newHarness(t, harnessOpts{netw: simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}}})
	eventually(t, "online", 10*time.Second, func() bool { return h.engine.Status().Connection == sync.Online })
	time.Sleep(1100 * time.Millisecond) // the stream has been held a while

	elsewhere := api.NewClient(h.inst.URL, nil)
	elsewhere.SetToken(h.token)
	h.mu.Lock()
	from := len(h.statuses)
	h.mu.Unlock()
	if err := elsewhere.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	eventually(t, "signed out", 10*time.Second, func() bool { return h.engine.Status().Unauthorized })
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, st := range h.statuses[from:] {
		if st.Connection == sync.Offline {
			t.Fatalf("the window was told offline on the way: %+v", h.statuses[from:])
		}
	}
}

// An account with more apps open than the server keeps streams for: the
// server ends this app's stream for a newer one and says so, and the app
// pulls on its timer instead of asking again at once, which would end
// another of the account's streams, and so on around for good. Nothing is
// wrong with the connection, so it is not called offline.
func TestReplacedStreamWaitsAndStaysOnline(t *testing.T) {
	h := newHarness(t, harnessOpts{netw: simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}}})
	eventually(t, "online", 10*time.Second, func() bool { return h.engine.Status().Connection == sync.Online })
	time.Sleep(1100 * time.Millisecond) // held long enough to be asked for again at once

	h.mu.Lock()
	from := len(h.statuses)
	h.mu.Unlock()
	// Eight newer streams of the same account: the server keeps 8, so the
	// app's, the oldest, is replaced.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ended := make(chan int, 8)
	opened := make(chan struct{}, 8)
	for i := range 8 {
		other := api.NewClient(h.inst.URL, nil)
		other.SetToken(h.token)
		go func() {
			_ = other.Stream(ctx, func() { opened <- struct{}{} }, func(api.Event) {})
			if ctx.Err() == nil {
				ended <- i
			}
		}()
		<-opened
	}
	select {
	case i := <-ended:
		t.Fatalf("newer stream %d was ended: the replaced app asked again at once", i)
	case <-time.After(2 * time.Second):
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, st := range h.statuses[from:] {
		if st.Connection == sync.Offline {
			t.Fatalf("the window was told offline: %+v", h.statuses[from:])
		}
	}
}

// A server at its connection cap answers 503 server_busy: the engine says
// offline and busy (not gone), keeps the change in the outbox, asks again
// after the Retry-After, and sends it once the server takes connections.
func TestBusyServerIsRetried(t *testing.T) {
	h := newHarness(t, harnessOpts{netw: instant})
	eventually(t, "online", 10*time.Second, func() bool { return h.engine.Status().Connection == sync.Online })
	q := h.batch()
	h.gate.setBusy(true)
	if err := h.cache.SendInitial(context.Background(), q[0].ActionID, q[0].ContactID, "busy-1", "Hi", time.Now()); err != nil {
		t.Fatal(err)
	}
	h.engine.Kick()
	eventually(t, "offline and busy, the change kept", 10*time.Second, func() bool {
		st := h.engine.Status()
		return st.Connection == sync.Offline && st.Busy && st.Pending == 1
	})
	h.gate.setBusy(false)
	eventually(t, "online with the change sent", 10*time.Second, func() bool {
		st := h.engine.Status()
		return st.Connection == sync.Online && !st.Busy && st.Pending == 0
	})
}
