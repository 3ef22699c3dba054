package cache_test

import (
	"context"
	"slices"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// TestThreadsWithoutContact: conversations whose contact the cache never
// saw are listed (all of them, or of those named); a contact remembered
// for one takes it off the list; a contact of no conversation here is not
// kept.
func TestThreadsWithoutContact(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c) // k1 and k2 assigned: their contacts are known
	thread := func(v int64, id string) api.Change {
		return change(t, v, api.KindThread, id, api.Thread{ID: id, ActionID: "a1", CampaignID: "c1", ActionType: api.ActionP2P, OwnerID: "u1",
			ContactName: "Someone " + id, ContactPhone: "+1555010000" + id[1:], LastMessageAt: t0})
	}
	apply(t, c, thread(10, "k1"), thread(11, "k3"), thread(12, "k4"))
	list := func(ids []string) []string {
		t.Helper()
		got, err := c.ThreadsWithoutContact(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := list(nil); !slices.Equal(got, []string{"k3", "k4"}) {
		t.Errorf("all: %v; want k3 k4", got)
	}
	if got := list([]string{"k1", "k4", "k9", "k4"}); !slices.Equal(got, []string{"k4"}) {
		t.Errorf("of k1 k4 k9: %v; want k4", got)
	}
	if got := list([]string{}); len(got) != 0 {
		t.Errorf("of none: %v", got)
	}
	err := c.RememberContacts(ctx, []api.Assignment{
		{ContactID: "k3", ActionID: "a1", FirstName: "Mary Ann", LastName: "Smith", Fields: map[string]string{"zip": "20001"}},
		{ContactID: "k9", ActionID: "a1", FirstName: "Nobody"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := list(nil); !slices.Equal(got, []string{"k4"}) {
		t.Errorf("after k3's contact: %v; want k4", got)
	}
	if a, ok, _ := c.Contact(ctx, "k3"); !ok || a.FirstName != "Mary Ann" || a.Fields["zip"] != "20001" {
		t.Errorf("k3's contact %+v %v", a, ok)
	}
	if _, ok, _ := c.Contact(ctx, "k9"); ok {
		t.Error("a contact of no conversation here was kept")
	}
}
