package server_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// adminReads counts the server's reads of a user's admin campaigns.
type adminReads struct {
	store.Store
	n atomic.Int64
}

func (a *adminReads) View(ctx context.Context, fn func(store.Tx) error) error {
	return a.Store.View(ctx, func(tx store.Tx) error { return fn(adminReadsTx{Tx: tx, a: a}) })
}

type adminReadsTx struct {
	store.Tx
	a *adminReads
}

// The store's ways of hearing of other processes' writes pass through, so
// that the server's feed watcher works as it would on the store itself.
func (a *adminReads) WrittenElsewhere(ctx context.Context) (bool, error) {
	we, ok := a.Store.(interface {
		WrittenElsewhere(context.Context) (bool, error)
	})
	if !ok {
		return false, nil
	}
	return we.WrittenElsewhere(ctx)
}

type feedListener interface {
	ListenFeed(context.Context, store.Listeners) error
}

// listeningAdminReads is adminReads over a store that announces changes.
type listeningAdminReads struct {
	*adminReads
	l feedListener
}

func (a listeningAdminReads) ListenFeed(ctx context.Context, l store.Listeners) error {
	return a.l.ListenFeed(ctx, l)
}

func (x adminReadsTx) AdminCampaigns(ctx context.Context, userID string) ([]string, error) {
	x.a.n.Add(1)
	return x.Tx.AdminCampaigns(ctx, userID)
}

// TestEventStreamReadsRolesOnlyWhenTheyChange: a volunteer's open event
// stream hears of every text they send without reading their admin
// campaigns again each time; made an admin by another process (textbankd
// admin add: on SQLite the feed watcher notices the write, on PostgreSQL
// the commit announces the user), the same stream reads them again and
// from then hears of the campaign's Admin section changing, without
// reconnecting.
func TestEventStreamReadsRolesOnlyWhenTheyChange(t *testing.T) {
	var reads *adminReads
	f := newFixtureWith(t, fixtureOpts{wrap: func(st store.Store) store.Store {
		reads = &adminReads{Store: st}
		if l, ok := st.(feedListener); ok {
			return listeningAdminReads{adminReads: reads, l: l}
		}
		return reads
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	vol, volUser := f.member("vera", cf)
	b, err := vol.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}

	go f.srv.WatchFeed(ctx, 20*time.Millisecond)
	waitFeedWatched(t, f.srv)
	ls := openStream(t, vol)
	first := ls.nextVersion(t, 0, "the stream's first event")
	before := reads.n.Load()
	if before == 0 {
		t.Fatal("the stream did not read the user's admin campaigns as it opened")
	}

	last := first
	for _, a := range b.Assigned[:2] {
		res, _ := sendInitial(t, vol, a.ContactID)
		wantApplied(t, res)
		last = ls.nextVersion(t, last, "after a text sent")
	}
	time.Sleep(100 * time.Millisecond) // any poke still coming has come
	if got := reads.n.Load(); got != before {
		t.Fatalf("the stream read the admin campaigns %d more times as the volunteer texted; want none (roles unchanged)", got-before)
	}
	ls.noAdminEvent(t, cf.campaign.ID, 0, "a volunteer")

	// The command line, from its own handle on the database.
	if _, err := f.organizer(f.reopen()).AddAdmin(ctx, volUser.Email, cf.campaign.JoinCode); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); reads.n.Load() == before; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("made an admin, the stream did not read the admin campaigns again within 10 s")
		}
	}
	// The read's answer reaches the hub a moment after the read.
	for deadline := time.Now().Add(10 * time.Second); f.srv.AdminStreams(cf.campaign.ID) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("made an admin, the stream read the admin campaigns again but does not hear of the campaign's Admin section 10 s later")
		}
	}
	strangerTexts(t, f, cf, 1)
	ls.wantAdminEvent(t, cf.campaign.ID, 10*time.Second, "made an admin, without reconnecting")
}

// nextVersion waits for a change event past after (-1: any, the first a
// stream sends) and returns its version.
func (ls *liveStream) nextVersion(t *testing.T, after int64, what string) int64 {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-ls.events:
			if ev.AdminCampaignID == "" && ev.Version > after {
				return ev.Version
			}
		case err := <-ls.ended:
			t.Fatalf("%s: the stream ended (%v)", what, err)
		case <-deadline:
			t.Fatalf("%s: no change event past version %d within 10 s", what, after)
		}
	}
}
