package sync

import (
	"encoding/json"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// TestChangeSummary: what a pulled page tells the window, kind by kind.
func TestChangeSummary(t *testing.T) {
	msg, _ := json.Marshal(api.Message{ID: "m1", ThreadID: "t1"})
	cases := []struct {
		name    string
		changes []api.Change
		want    ChangeSummary
	}{
		{"a message names its thread", []api.Change{{Kind: api.KindMessage, ID: "m1", Data: msg}}, ChangeSummary{Threads: []string{"t1"}}},
		{"a thread names itself once", []api.Change{{Kind: api.KindThread, ID: "t1"}, {Kind: api.KindMessage, ID: "m1", Data: msg}}, ChangeSummary{Threads: []string{"t1"}}},
		{"a hand-back names its thread, no more", []api.Change{{Kind: api.KindHandover, ID: "t1", Data: json.RawMessage(`{"threadId":"t1"}`)}},
			ChangeSummary{Threads: []string{"t1"}}},
		{"a contact's columns name its conversation", []api.Change{{Kind: api.KindContact, ID: "t1"}}, ChangeSummary{Threads: []string{"t1"}}},
		{"actions", []api.Change{{Kind: api.KindAction, ID: "a1"}}, ChangeSummary{Actions: true}},
		{"assignments are the queue", []api.Change{{Kind: api.KindAssignment, ID: "k1"}}, ChangeSummary{Queue: true}},
		{"settings refresh everything", []api.Change{{Kind: api.KindSettings, ID: "u1"}}, ChangeSummary{All: true}},
		{"a deleted message", []api.Change{{Kind: api.KindMessage, ID: "m1", Deleted: true}}, ChangeSummary{All: true}},
		{"a kind this version does not know", []api.Change{{Kind: "poll", ID: "p1"}}, ChangeSummary{All: true}},
		{"the account renamed elsewhere", []api.Change{{Kind: api.KindProfile, ID: "u1", Data: json.RawMessage(`{"id":"u1","name":"Vi"}`)}},
			ChangeSummary{Profile: &api.User{ID: "u1", Name: "Vi"}, Queue: true}},
		{"a profile that names another account", []api.Change{{Kind: api.KindProfile, ID: "u1", Data: json.RawMessage(`{"id":"u2","name":"Vi"}`)}},
			ChangeSummary{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got ChangeSummary
			got.add(tc.changes)
			if got.All != tc.want.All || got.Actions != tc.want.Actions || got.Queue != tc.want.Queue ||
				got.Campaigns != tc.want.Campaigns || len(got.Threads) != len(tc.want.Threads) ||
				(got.Profile == nil) != (tc.want.Profile == nil) || got.Profile != nil && *got.Profile != *tc.want.Profile {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got.Threads {
				if got.Threads[i] != tc.want.Threads[i] {
					t.Fatalf("threads %v, want %v", got.Threads, tc.want.Threads)
				}
			}
		})
	}
}
