package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// clientOf is a client signed in as u.
func (f *fixture) clientOf(u store.User) *api.Client {
	f.t.Helper()
	c := api.NewClient(f.ts.URL, f.ts.Client())
	tok := uuid.NewString()
	c.SetToken(tok)
	f.tokens[c] = tok
	sum := sha256.Sum256([]byte(tok))
	f.update(func(tx store.Tx) error {
		return tx.CreateToken(context.Background(), hex.EncodeToString(sum[:]), u.ID, f.clock.Now())
	})
	return c
}

// wantAdminEvent waits up to within for an admin event naming campaignID
// (change events and other campaigns' admin events are passed over).
func (ls *liveStream) wantAdminEvent(t *testing.T, campaignID string, within time.Duration, what string) {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case ev := <-ls.events:
			if ev.AdminCampaignID == campaignID {
				return
			}
		case err := <-ls.ended:
			t.Fatalf("%s: the stream ended (%v) before the admin event", what, err)
		case <-deadline:
			t.Fatalf("%s: no admin event for campaign %s within %v", what, campaignID, within)
		}
	}
}

// noAdminEvent fails if an admin event for campaignID comes within d.
func (ls *liveStream) noAdminEvent(t *testing.T, campaignID string, d time.Duration, what string) {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case ev := <-ls.events:
			if ev.AdminCampaignID == campaignID {
				t.Fatalf("%s: got the admin event for campaign %s; it is not theirs to hear", what, campaignID)
			}
		case <-deadline:
			return
		}
	}
}

// TestAdminEventsReachTheCampaignsAdminsOnly: a change to what a
// campaign's Admin section shows reaches the open event streams of its
// admins within a second or two, whoever made it: another process writing
// the same database (textbankd unroutable handle: on SQLite the feed
// watcher notices the write, on PostgreSQL its commit announces the
// campaign), a stranger's text kept as unroutable, a volunteer's block.
// Neither the campaign's volunteer nor another campaign's admin hears of it.
func TestAdminEventsReachTheCampaignsAdminsOnly(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	vol, assigned, _ := texted(t, f, cf, 1)
	otherCampaign := f.campaign(campaignOpts{name: "Elsewhere", numbers: 1})
	outsider := f.clientOf(f.secondAdmin(otherCampaign)) // admin elsewhere, stranger here
	ids := strangerTexts(t, f, cf, 1)

	go f.srv.WatchFeed(ctx, 20*time.Millisecond)
	waitFeedWatched(t, f.srv)
	// A stream hears of its user's campaigns once it has read which they
	// administer, before its first change event.
	admin := openStream(t, f.adminClient())
	admin.nextVersion(t, -1, "the admin's stream's first event")
	volunteer := openStream(t, vol)
	volunteer.nextVersion(t, -1, "the volunteer's stream's first event")
	other := openStream(t, outsider)
	other.nextVersion(t, -1, "the other admin's stream's first event")

	// The command line, from its own handle on the database.
	cli := f.reopen()
	err := cli.Update(ctx, func(tx store.Tx) error {
		if err := tx.SetMarked(ctx, store.UnroutableMarks, ids[0], true, "", time.Now().UTC()); err != nil {
			return err
		}
		tx.AdminChanged(cf.campaign.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	admin.wantAdminEvent(t, cf.campaign.ID, 10*time.Second, "after textbankd unroutable handle")
	volunteer.noAdminEvent(t, cf.campaign.ID, 300*time.Millisecond, "the campaign's volunteer, after unroutable handle")
	other.noAdminEvent(t, cf.campaign.ID, 0, "another campaign's admin, after unroutable handle")

	// A stranger's text, received by this server.
	strangerTexts(t, f, cf, 2)
	admin.wantAdminEvent(t, cf.campaign.ID, 10*time.Second, "after a new unroutable text")

	// The volunteer reports the contact for abuse.
	push(t, vol, api.Mutation{ID: uuid.NewString(), Type: api.MutBlock, ThreadID: assigned[0].ContactID, Reason: api.BlockSpam})
	admin.wantAdminEvent(t, cf.campaign.ID, 10*time.Second, "after a volunteer's block")
	volunteer.noAdminEvent(t, cf.campaign.ID, 300*time.Millisecond, "the volunteer who blocked")
	other.noAdminEvent(t, cf.campaign.ID, 0, "another campaign's admin, after the block")
}

// TestAdminEventsAcrossServers: on PostgreSQL, an admin whose stream is
// held by server B hears of an unroutable text marked handled through
// server A.
func TestAdminEventsAcrossServers(t *testing.T) {
	pgtest.Require(t)
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	ids := strangerTexts(t, f, cf, 1)
	srvB, tsB := f.secondPinging(time.Minute)
	waitTokensLive(ctx, t, srvB)
	b := api.NewClient(tsB.URL, nil)
	b.SetToken(f.token(f.adminClient()))
	ls := openStream(t, b)
	ls.nextVersion(t, -1, "the stream's first event") // it has read which campaigns the user administers

	if _, err := f.adminClient().SetUnroutableHandled(ctx, cf.campaign.ID, ids[0], true); err != nil {
		t.Fatal(err)
	}
	ls.wantAdminEvent(t, cf.campaign.ID, 10*time.Second, "on server B after marking the text handled on server A")
}
