package cache_test

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// A campaign deleted by sync (an organizer removed the volunteer) goes
// from the cache with its actions, queue, conversations and messages, and
// the page names it, with the name it had, for the window's notice; a
// campaign the cache never held is named by nothing.
func TestCampaignLeftIsDroppedAndNamed(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	repliedThread(t, c)
	apply(t, c, change(t, 30, api.KindCampaign, "c2", api.Campaign{ID: "c2", Name: "Other"}))

	res := apply(t, c, api.Change{Version: 40, Kind: api.KindCampaign, ID: "c1", Deleted: true},
		api.Change{Version: 41, Kind: api.KindCampaign, ID: "never-held", Deleted: true})
	if len(res.Left) != 1 || res.Left[0] != (cache.LeftCampaign{ID: "c1", Name: "Vote Yes"}) {
		t.Fatalf("left = %+v, want Vote Yes alone", res.Left)
	}
	camps, err := c.Campaigns(ctx)
	if err != nil || len(camps) != 1 || camps[0].ID != "c2" {
		t.Fatalf("campaigns = %+v %v, want Other alone", camps, err)
	}
	if acts, err := c.Actions(ctx, "c1"); err != nil || len(acts) != 0 {
		t.Errorf("actions of the campaign left = %+v %v", acts, err)
	}
	if _, err := c.Thread(ctx, "k9"); err == nil {
		t.Error("its conversation is still in the cache")
	}
	// Told once: the next page says nothing of it.
	if again := apply(t, c, api.Change{Version: 50, Kind: api.KindCampaign, ID: "c1", Deleted: true}); len(again.Left) != 0 {
		t.Errorf("a second deletion named %+v", again.Left)
	}
}
