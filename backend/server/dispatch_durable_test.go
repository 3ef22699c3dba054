package server_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// durableSpy stands between the server and its store and counts the
// dispatcher's Durable calls, answering them err when set (after the
// store's own, if it has one: SQLite's fsync of its WAL). The answers'
// syncs (groupcommit_durable.go) go through uncounted.
type durableSpy struct {
	store.Store
	faults *faultyProvider
	mu     sync.Mutex
	err    error
	// before holds, for each Durable call, how many provider calls had
	// begun when it was made.
	before []int
}

func (d *durableSpy) Durable() error {
	if inner, ok := d.Store.(interface{ Durable() error }); ok {
		if err := inner.Durable(); err != nil {
			return err
		}
	}
	if !fromDispatcher() {
		return nil
	}
	d.faults.mu.Lock()
	calls := d.faults.calls
	d.faults.mu.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.before = append(d.before, calls)
	return d.err
}

// fromDispatcher says the caller is the dispatcher's sync before its
// provider calls (makeDurable), not an answer's.
func fromDispatcher() bool {
	pc := make([]uintptr, 32)
	frames := runtime.CallersFrames(pc[:runtime.Callers(2, pc)])
	for {
		f, more := frames.Next()
		if strings.HasSuffix(f.Function, ".makeDurable") {
			return true
		}
		if !more {
			return false
		}
	}
}

func newDurableFixture(t *testing.T, fail error) (*fixture, *durableSpy) {
	spy := &durableSpy{err: fail}
	f := newFixtureWith(t, fixtureOpts{log: zerolog.Nop(), wrap: func(st store.Store) store.Store {
		spy.Store = st
		return spy
	}})
	spy.faults = f.faults
	return f, spy
}

// TestTextRecordedOnDiskBeforeTheProviderCall: SQLite commits with
// synchronous=NORMAL, so a power cut could undo the record that a text is
// sending after the provider took it, and the restart would send it
// again. Each provider call waits for the store to put its commits on the
// disk first: as many Durable calls as texts, each before its call.
func TestTextRecordedOnDiskBeforeTheProviderCall(t *testing.T) {
	f, spy := newDurableFixture(t, nil)
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 3, numbers: 1})
	// One at a time, each sent before the next: each has a sync of its own.
	for i, a := range b.Assigned {
		res, _ := sendInitial(t, c, a.ContactID)
		wantApplied(t, res)
		if n := len(f.sent()); n != i+1 {
			t.Fatalf("the network holds %d texts, want %d", n, i+1)
		}
	}
	spy.mu.Lock()
	defer spy.mu.Unlock()
	if want := []int{0, 1, 2}; fmt.Sprint(spy.before) != fmt.Sprint(want) {
		t.Fatalf("provider calls begun at each Durable call: %v, want %v (one before each text's call)", spy.before, want)
	}
}

// TestTextNotSentWhenItsRecordCannotReachTheDisk: a disk that fails its
// sync leaves the text sending and the provider uncalled; the next start
// looks it up before sending it, as after a crash.
func TestTextNotSentWhenItsRecordCannotReachTheDisk(t *testing.T) {
	f, _ := newDurableFixture(t, errors.New("input/output error"))
	_, c, _, b := f.texting("vera", campaignOpts{contacts: 1, numbers: 1})
	res, id := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	time.Sleep(200 * time.Millisecond) // the dispatcher's turn
	f.faults.mu.Lock()
	calls := f.faults.calls
	f.faults.mu.Unlock()
	if calls != 0 {
		t.Fatalf("%d provider calls, want none", calls)
	}
	if m := messageStatus(t, f, id); m.Status != api.StatusSending {
		t.Fatalf("stored %q, want sending (left for the next start)", m.Status)
	}
}
