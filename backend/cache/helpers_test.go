package cache_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func at(min int) *time.Time { v := t0.Add(time.Duration(min) * time.Minute); return &v }

func open(t testing.TB) *cache.Cache {
	t.Helper()
	c, err := cache.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func change(t testing.TB, version int64, kind, id string, v any) api.Change {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return api.Change{Version: version, Kind: kind, ID: id, Data: raw}
}

func apply(t testing.TB, c *cache.Cache, changes ...api.Change) cache.PageResult {
	t.Helper()
	var cursor int64
	for _, ch := range changes {
		if ch.Version > cursor {
			cursor = ch.Version
		}
	}
	res, err := c.ApplyPage(context.Background(), api.SyncResponse{Changes: changes, Cursor: cursor})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// seed gives the cache a campaign, a p2p action and two queued contacts.
func seed(t testing.TB, c *cache.Cache) {
	t.Helper()
	apply(t, c,
		change(t, 1, api.KindCampaign, "c1", api.Campaign{ID: "c1", Name: "Vote Yes"}),
		change(t, 2, api.KindAction, "a1", api.Action{ID: "a1", CampaignID: "c1", Type: api.ActionP2P, Title: "Get out the vote",
			Scripts: []string{"Hi {first_name}"}, SendingNumber: "+15550001000",
			ResponseScripts: []api.ResponseScript{{ID: "r1", Label: "Thanks", Body: "Thanks {first_name}!"}}}),
		change(t, 3, api.KindAssignment, "k1", api.Assignment{ContactID: "k1", ActionID: "a1", FirstName: "Ada", LastName: "Lovelace", Phone: "+15550100001", AssignedAt: t0}),
		change(t, 4, api.KindAssignment, "k2", api.Assignment{ContactID: "k2", ActionID: "a1", FirstName: "Alan", LastName: "Turing", Phone: "+15550100002", AssignedAt: t0.Add(time.Second)}),
	)
}

// serverThread is a thread as the server would send it.
func serverThread(id, actionType string) api.Thread {
	return api.Thread{ID: id, ActionID: "a1", CampaignID: "c1", ActionType: actionType, ContactName: "Contact " + id,
		ContactPhone: "+1555010" + id, LastMessageAt: t0}
}
