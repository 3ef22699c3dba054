package server_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

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

// heldResults holds every read of a campaign's actions (the Admin
// section's results begin with it) until release is closed, once armed.
type heldResults struct {
	store.Store
	mu      sync.Mutex
	armed   bool
	release chan struct{}
	entered chan struct{}
}

func (h *heldResults) View(ctx context.Context, fn func(store.Tx) error) error {
	return h.Store.View(ctx, func(tx store.Tx) error { return fn(heldResultsTx{Tx: tx, h: h}) })
}

type heldResultsTx struct {
	store.Tx
	h *heldResults
}

func (x heldResultsTx) ActionsByCampaign(ctx context.Context, campaignID string) ([]store.Action, error) {
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
	return x.Tx.ActionsByCampaign(ctx, campaignID)
}

// TestAdminReadsInFlightPerUserAreBounded: the Admin section's reads that
// scan a campaign's rows (results, overview, marked lists, a conversation)
// share the pulls' bound of server.MaxSyncsPerUser in flight per user, so
// one admin account cannot hold every read connection of the store's pool
// either: with that many results being counted, the admin's next admin
// read, and their next pull, are answered 429 too_many_requests with
// Retry-After at once, while another user's pull goes through; once they
// are answered the admin reads again.
func TestAdminReadsInFlightPerUserAreBounded(t *testing.T) {
	held := &heldResults{release: make(chan struct{}), entered: make(chan struct{}, 64)}
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store {
		held.Store = st
		return held
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	vol, _ := f.member("vera", cf)
	admin := f.adminClient()
	tok := f.token(admin)

	held.mu.Lock()
	held.armed = true
	held.mu.Unlock()
	var wg sync.WaitGroup
	errs := make(chan error, server.MaxSyncsPerUser)
	for range server.MaxSyncsPerUser {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := admin.AdminResults(ctx, cf.campaign.ID)
			errs <- err
		}()
	}
	for range server.MaxSyncsPerUser {
		select {
		case <-held.entered:
		case <-ctx.Done():
			t.Fatal("the admin reads never reached the store")
		}
	}
	base := "/api/v1/campaigns/" + cf.campaign.ID + "/admin"
	for _, path := range []string{base, base + "/unroutable/handled", base + "/abuse-reports/reviewed",
		base + "/opt-ins/reviewed", base + "/threads/" + uuid.NewString()} {
		status, body := f.raw(http.MethodGet, path, tok, nil)
		if status != http.StatusTooManyRequests || !strings.Contains(string(body), api.CodeTooManyRequests) ||
			!strings.Contains(string(body), "try again in 1 second") {
			t.Errorf("GET %s with %d admin reads in flight = %d %s, want 429 too_many_requests saying to try again in 1 second",
				path, server.MaxSyncsPerUser, status, body)
		}
	}
	// A pull of the same account shares the count.
	_, err := admin.Sync(ctx, 0, 100)
	ae := wantAPIError(t, err, http.StatusTooManyRequests, api.CodeTooManyRequests)
	if ae.RetryAfter <= 0 {
		t.Errorf("the refusal names no Retry-After: %+v", ae)
	}
	// Another user is not held back by the admin's reads.
	if _, err := vol.Sync(ctx, 0, 100); err != nil {
		t.Errorf("another user's pull: %v", err)
	}

	held.mu.Lock()
	held.armed = false
	held.mu.Unlock()
	close(held.release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("an admin read within the limit: %v", err)
		}
	}
	if _, err := admin.AdminOverview(ctx, cf.campaign.ID); err != nil {
		t.Errorf("an admin read after the others were answered: %v", err)
	}
	if _, err := admin.Sync(ctx, 0, 100); err != nil {
		t.Errorf("a pull after the admin reads were answered: %v", err)
	}
}
