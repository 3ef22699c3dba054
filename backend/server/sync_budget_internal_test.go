package server

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// fitBudget ends a page at a version's end, keeps the first version
// whatever its size, gives each change kept its newest version up to the
// cut, and leaves a page within budget as it was.
func TestFitBudget(t *testing.T) {
	// Versions: 1 campaign; 2 assignment A; 3 a first text (assignment B,
	// thread B, message M); 4 assignment A again; 5 action X. Each change
	// counts 1000 bytes.
	rows := []store.FeedRow{
		{Seq: 1, Kind: api.KindCampaign, EntityID: "C"},
		{Seq: 2, Kind: api.KindAssignment, EntityID: "A"},
		{Seq: 3, Kind: api.KindAssignment, EntityID: "B"},
		{Seq: 3, Kind: api.KindThread, EntityID: "B"},
		{Seq: 3, Kind: api.KindMessage, EntityID: "M"},
		{Seq: 4, Kind: api.KindAssignment, EntityID: "A"},
		{Seq: 5, Kind: api.KindAction, EntityID: "X"},
	}
	page := func() api.SyncResponse { // as buildSync makes it
		var p api.SyncResponse
		for _, c := range []struct {
			v        int64
			kind, id string
		}{{1, api.KindCampaign, "C"}, {4, api.KindAssignment, "A"}, {3, api.KindAssignment, "B"},
			{3, api.KindThread, "B"}, {3, api.KindMessage, "M"}, {5, api.KindAction, "X"}} {
			ch := api.Change{Version: c.v, Kind: c.kind, ID: c.id}
			ch.Data = json.RawMessage(`"` + strings.Repeat("x", 1000-2-ch.JSONSize()) + `"`)
			p.Changes = append(p.Changes, ch)
		}
		p.Cursor = 5
		return p
	}
	if n := page().Changes[0].JSONSize(); n != 1000 {
		t.Fatalf("a change counts %d bytes, want 1000", n)
	}
	for _, tc := range []struct {
		budget  int
		want    string // kind/id@version..., cursor, more
		encoded int    // changes buildSync encoded before it stopped (0: all)
	}{
		{6000, "campaign/C@1 assignment/A@4 assignment/B@3 thread/B@3 message/M@3 action/X@5 cursor 5 more false", 0},
		{0, "campaign/C@1 cursor 1 more true", 0},                                                         // the first version, alone over budget
		{2999, "campaign/C@1 assignment/A@2 cursor 2 more true", 0},                                       // A's version is the cut's
		{3500, "campaign/C@1 assignment/A@2 cursor 2 more true", 0},                                       // the first text does not fit whole: none of it
		{5000, "campaign/C@1 assignment/A@4 assignment/B@3 thread/B@3 message/M@3 cursor 4 more true", 0}, // A again adds no bytes
		{5999, "campaign/C@1 assignment/A@4 assignment/B@3 thread/B@3 message/M@3 cursor 4 more true", 0},
		// buildSync stopped past the budget, inside the first text: the
		// rows naming what it did not encode are cut, as they would be.
		{2500, "campaign/C@1 assignment/A@2 cursor 2 more true", 3},
	} {
		p := page()
		if tc.encoded > 0 {
			p.Changes = p.Changes[:tc.encoded]
		}
		got := fitBudget(p, rows, tc.budget)
		var b strings.Builder
		for _, ch := range got.Changes {
			fmt.Fprintf(&b, "%s/%s@%d ", ch.Kind, ch.ID, ch.Version)
		}
		fmt.Fprintf(&b, "cursor %d more %t", got.Cursor, got.More)
		if b.String() != tc.want {
			t.Errorf("budget %d:\n got %s\nwant %s", tc.budget, b.String(), tc.want)
		}
	}
}
