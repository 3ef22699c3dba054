package server_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// heldFeeds holds every read of a feed until release is closed, once armed:
// pulls that stay in flight, as slow ones on a busy database do.
type heldFeeds struct {
	store.Store
	mu      sync.Mutex
	armed   bool
	release chan struct{}
	entered chan struct{}
}

func (h *heldFeeds) View(ctx context.Context, fn func(store.Tx) error) error {
	return h.Store.View(ctx, func(tx store.Tx) error { return fn(heldFeedsTx{Tx: tx, h: h}) })
}

type heldFeedsTx struct {
	store.Tx
	h *heldFeeds
}

func (x heldFeedsTx) FeedAfter(ctx context.Context, userID string, cursor int64, limit int) ([]store.FeedRow, error) {
	x.h.mu.Lock()
	armed := x.h.armed
	x.h.mu.Unlock()
	if armed {
		x.h.entered <- struct{}{}
		select {
		case <-x.h.release:
		case <-ctx.Done():
		}
	}
	return x.Tx.FeedAfter(ctx, userID, cursor, limit)
}

// TestPullsInFlightPerUserAreBounded: one account cannot hold more than
// server.MaxSyncsPerUser pulls in flight (each holds a connection of the
// store's read pool: 4 on SQLite, whose reads would all wait behind one
// account's otherwise): the next is answered 429 with Retry-After at once,
// while another user's pull goes through; once they are answered the
// account pulls again.
func TestPullsInFlightPerUserAreBounded(t *testing.T) {
	held := &heldFeeds{release: make(chan struct{}), entered: make(chan struct{}, 64)}
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store {
		held.Store = st
		return held
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	vol, _ := f.member("vera", cf)
	other, _ := f.member("otto", cf)

	held.mu.Lock()
	held.armed = true
	held.mu.Unlock()
	var wg sync.WaitGroup
	errs := make(chan error, server.MaxSyncsPerUser)
	for range server.MaxSyncsPerUser {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := vol.Sync(ctx, 0, 100)
			errs <- err
		}()
	}
	for range server.MaxSyncsPerUser {
		select {
		case <-held.entered:
		case <-ctx.Done():
			t.Fatal("the pulls never reached the store")
		}
	}
	_, err := vol.Sync(ctx, 0, 100)
	ae := wantAPIError(t, err, http.StatusTooManyRequests, api.CodeTooManyRequests)
	if ae.RetryAfter <= 0 {
		t.Errorf("the refusal names no Retry-After: %+v", ae)
	}

	// Another user is not held back by vera's pulls.
	otherDone := make(chan error, 1)
	go func() {
		_, err := other.Sync(ctx, 0, 100)
		otherDone <- err
	}()
	select {
	case <-held.entered:
	case err := <-otherDone:
		t.Fatalf("another user's pull: %v", err)
	case <-ctx.Done():
		t.Fatal("another user's pull never reached the store")
	}

	held.mu.Lock()
	held.armed = false
	held.mu.Unlock()
	close(held.release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a pull within the limit: %v", err)
		}
	}
	if err := <-otherDone; err != nil {
		t.Errorf("another user's pull: %v", err)
	}
	if _, err := vol.Sync(ctx, 0, 100); err != nil {
		t.Errorf("a pull after the others were answered: %v", err)
	}
}
