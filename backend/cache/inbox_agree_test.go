package cache_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

var actionTypes = []string{api.ActionP2P, api.ActionBroadcast, api.ActionFriends, api.ActionTeam, api.ActionCanvassing}

// randomThread draws a thread whose times collide often, so the rules' edge
// cases (equal instants, missing times) come up.
func randomThread(r *rand.Rand, id, campaignID string) api.Thread {
	maybe := func() *time.Time {
		if r.IntN(4) == 0 {
			return nil
		}
		return at(r.IntN(6))
	}
	th := api.Thread{
		ID: id, ActionID: "a-" + campaignID, CampaignID: campaignID,
		ActionType:  actionTypes[r.IntN(len(actionTypes))],
		ContactName: "Contact " + id, ContactPhone: fmt.Sprintf("+1555%07d", r.IntN(1e7)),
		LastMessageAt: *at(r.IntN(100)),
		LastInboundAt: maybe(), LastOutboundAt: maybe(), LastReadAt: maybe(), LastReportAt: maybe(),
		Archived: r.IntN(4) == 0, OptedOut: r.IntN(6) == 0, Blocked: r.IntN(10) == 0,
	}
	return th
}

func TestSQLFiltersAgreeWithInboxRules(t *testing.T) {
	ctx := context.Background()
	for seed := uint64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 42))
			c := open(t)
			campaigns := map[string]string{}
			states := map[string]inbox.State{}
			var changes []api.Change
			for i := range 400 {
				campaign := []string{"c1", "c2"}[r.IntN(2)]
				th := randomThread(r, fmt.Sprintf("t%03d", i), campaign)
				campaigns[th.ID], states[th.ID] = campaign, cache.InboxState(th)
				changes = append(changes, change(t, int64(i+1), api.KindThread, th.ID, th))
			}
			if _, err := c.ApplyPage(ctx, api.SyncResponse{Changes: changes, Cursor: int64(len(changes))}); err != nil {
				t.Fatal(err)
			}
			checkAgreement(t, c, campaigns, states)

			// A later page changes a third of the threads and deletes some:
			// the counts (kept by triggers) and lists follow.
			changes = nil
			for i := range 400 {
				id := fmt.Sprintf("t%03d", i)
				switch r.IntN(6) {
				case 0:
					changes = append(changes, api.Change{Version: int64(1000 + i), Kind: api.KindThread, ID: id, Deleted: true})
					delete(states, id)
					delete(campaigns, id)
				case 1, 2:
					th := randomThread(r, id, campaigns[id])
					states[id] = cache.InboxState(th)
					changes = append(changes, change(t, int64(1000+i), api.KindThread, id, th))
				}
			}
			if _, err := c.ApplyPage(ctx, api.SyncResponse{Changes: changes, Cursor: 2000}); err != nil {
				t.Fatal(err)
			}
			checkAgreement(t, c, campaigns, states)
		})
	}
}

// checkAgreement: every count equals the inbox rules' count, every listed
// thread matches its filter, and each list agrees with its count.
func checkAgreement(t *testing.T, c *cache.Cache, campaigns map[string]string, states map[string]inbox.State) {
	t.Helper()
	ctx := context.Background()
	want := map[string]map[inbox.Filter]int{"c1": {}, "c2": {}, "": {}}
	for id, s := range states {
		for _, f := range inbox.Filters {
			if inbox.Matches(f, s) {
				want[campaigns[id]][f]++
				want[""][f]++
			}
		}
	}
	for campaign, wantCounts := range want {
		got, err := c.Counts(ctx, campaign)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range inbox.Filters {
			if got[f] != wantCounts[f] {
				t.Errorf("campaign %q filter %s: SQL counts %d, inbox rules %d", campaign, f, got[f], wantCounts[f])
			}
		}
	}
	for _, f := range inbox.Filters {
		rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: f, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != want[""][f] {
			t.Errorf("filter %s lists %d, want %d", f, len(rows), want[""][f])
		}
		for _, row := range rows {
			s := states[row.ID]
			if !inbox.Matches(f, s) {
				t.Errorf("filter %s lists %s with state %+v", f, row.ID, s)
			}
			if row.Unread != inbox.IsUnread(s) || row.NeedsAttention != inbox.NeedsAttentionNow(s) {
				t.Errorf("%s flags unread=%v attention=%v disagree with rules", row.ID, row.Unread, row.NeedsAttention)
			}
		}
	}
}

// Optimistic changes move threads between filters through the same
// triggers: after each, every count still equals its list's length.
func TestCountsFollowOptimisticChanges(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 9))
	c := open(t)
	var changes []api.Change
	for i := range 200 {
		th := randomThread(r, fmt.Sprintf("t%03d", i), "c1")
		changes = append(changes, change(t, int64(i+1), api.KindThread, th.ID, th))
	}
	apply(t, c, changes...)
	for i := range 60 {
		id := fmt.Sprintf("t%03d", r.IntN(200))
		var err error
		switch i % 3 {
		case 0:
			err = c.Archive(ctx, id, r.IntN(2) == 0, t0.Add(time.Hour))
		case 1:
			err = c.MarkRead(ctx, id, t0.Add(time.Duration(i)*time.Hour))
		case 2:
			err = c.Reply(ctx, id, fmt.Sprintf("m%d", i), "Thanks!", "", t0.Add(time.Duration(i)*time.Hour))
		}
		if err != nil {
			t.Fatal(err)
		}
		counts, err := c.Counts(ctx, "c1")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range inbox.Filters {
			rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: f, CampaignID: "c1", Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != counts[f] {
				t.Fatalf("after change %d: filter %s lists %d, counts %d", i, f, len(rows), counts[f])
			}
		}
	}
}
