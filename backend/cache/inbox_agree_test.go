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
			want := map[string]map[inbox.Filter]int{"c1": {}, "c2": {}, "": {}}
			states := map[string]inbox.State{}
			var changes []api.Change
			for i := range 400 {
				campaign := []string{"c1", "c2"}[r.IntN(2)]
				th := randomThread(r, fmt.Sprintf("t%03d", i), campaign)
				s := cache.InboxState(th)
				states[th.ID] = s
				for _, f := range inbox.Filters {
					if inbox.Matches(f, s) {
						want[campaign][f]++
						want[""][f]++
					}
				}
				changes = append(changes, change(t, int64(i+1), api.KindThread, th.ID, th))
			}
			if _, err := c.ApplyPage(ctx, api.SyncResponse{Changes: changes, Cursor: int64(len(changes))}); err != nil {
				t.Fatal(err)
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
			// Every listed thread matches its filter, and the list agrees
			// with the count.
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
		})
	}
}
