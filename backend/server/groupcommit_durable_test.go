package server_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// answerSpy stands between the server and its store: while held, each
// Durable call is counted and waits for release before the store's own
// (SQLite's fsync of its WAL); err, when set, is its answer.
type answerSpy struct {
	store.Store
	mu     sync.Mutex
	hold   chan struct{}
	calls  int
	err    error
	called chan struct{} // a token per held call
}

func (d *answerSpy) Durable() error {
	d.mu.Lock()
	hold, err := d.hold, d.err
	if hold != nil {
		d.calls++
	}
	d.mu.Unlock()
	if hold != nil {
		d.called <- struct{}{}
		<-hold
	}
	if inner, ok := d.Store.(interface{ Durable() error }); ok {
		if err := inner.Durable(); err != nil {
			return err
		}
	}
	return err
}

// holdSyncs makes every Durable call wait until the returned func runs
// (at the test's end at the latest).
func (d *answerSpy) holdSyncs(t *testing.T) (release func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.hold, d.called = make(chan struct{}), make(chan struct{}, 64)
	hold := d.hold
	release = sync.OnceFunc(func() {
		d.mu.Lock()
		d.hold = nil
		d.mu.Unlock()
		close(hold)
	})
	t.Cleanup(release)
	return release
}

func (d *answerSpy) waitCall(t *testing.T, what string) {
	t.Helper()
	select {
	case <-d.called:
	case <-time.After(5 * time.Second):
		t.Fatalf("no sync of the disk %s", what)
	}
}

func newAnswerFixture(t *testing.T) (*fixture, *answerSpy, campaignFix) {
	spy := &answerSpy{}
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store {
		spy.Store = st
		return spy
	}})
	return f, spy, f.campaign(campaignOpts{contacts: 1, numbers: 1})
}

func settingsPush(c *api.Client, id string) (api.MutationsResponse, error) {
	return c.PushMutations(context.Background(), []api.Mutation{{ID: id, Type: api.MutSettings, CreatedAt: baseTime,
		Settings: &api.Settings{AutoArchive: true}}})
}

// TestAppliedAnsweredOnceOnTheDisk: SQLite commits with
// synchronous=NORMAL, so a power cut could undo a change answered
// "applied" after the app dropped it from its outbox. The answer waits for
// the store's sync of its commits; the writer does not: a second push
// commits while the first's sync is held, and neither is answered before
// its sync.
func TestAppliedAnsweredOnceOnTheDisk(t *testing.T) {
	f, spy, cf := newAnswerFixture(t)
	vera, _ := f.member("vera", cf)
	bea, _ := f.member("bea", cf)
	release := spy.holdSyncs(t)
	answers := make(chan error, 2)
	go func() { _, err := settingsPush(vera, uuid.NewString()); answers <- err }()
	spy.waitCall(t, "for the first push's commit")
	go func() { _, err := settingsPush(bea, uuid.NewString()); answers <- err }()
	spy.waitCall(t, "for the second push's commit while the first's was held (the writer waited for the disk)")
	select {
	case err := <-answers:
		t.Fatalf("a push was answered (error %v) before its commit was on the disk", err)
	case <-time.After(100 * time.Millisecond):
	}
	release()
	for range 2 {
		if err := <-answers; err != nil {
			t.Fatal(err)
		}
	}
}

// TestAppliedNotAnsweredWhenTheDiskFails: a sync that fails answers an
// error, not "applied" (the app keeps the change in its outbox), and the
// retry of the same mutation is answered applied once the disk takes it.
func TestAppliedNotAnsweredWhenTheDiskFails(t *testing.T) {
	f, spy, cf := newAnswerFixture(t)
	vera, _ := f.member("vera", cf)
	spy.mu.Lock()
	spy.err = errors.New("input/output error")
	spy.mu.Unlock()
	id := uuid.NewString()
	_, err := settingsPush(vera, id)
	wantAPIError(t, err, http.StatusInternalServerError, api.CodeInternal)
	spy.mu.Lock()
	spy.err = nil
	spy.mu.Unlock()
	resp, err := settingsPush(vera, id)
	if err != nil {
		t.Fatal(err)
	}
	wantApplied(t, resp.Results[0])
}

// TestSignOutAnsweredOnceOnTheDisk: a sign-out's answer waits for the
// store's sync too: a power cut after "signed out" must not bring the
// session back (it went straight to the store, answered at its commit).
func TestSignOutAnsweredOnceOnTheDisk(t *testing.T) {
	f, spy, cf := newAnswerFixture(t)
	vera, _ := f.member("vera", cf)
	release := spy.holdSyncs(t)
	answer := make(chan error, 1)
	go func() { answer <- vera.Logout(context.Background()) }()
	spy.waitCall(t, "for the sign-out's commit")
	select {
	case err := <-answer:
		t.Fatalf("the sign-out was answered (error %v) before its commit was on the disk", err)
	case <-time.After(100 * time.Millisecond):
	}
	release()
	if err := <-answer; err != nil {
		t.Fatal(err)
	}
	_, err := settingsPush(vera, uuid.NewString())
	wantAPIError(t, err, http.StatusUnauthorized, api.CodeUnauthorized)
}
