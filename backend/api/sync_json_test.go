package api_test

import (
	"encoding/json"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// AppendJSON must write exactly json.Marshal's bytes, whatever a page holds.
func TestSyncResponseAppendJSONIsMarshals(t *testing.T) {
	data := func(v any) json.RawMessage {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	odd := []string{"", "plain-id_1", `say "hi"`, `back\slash`, "<b>&amp;</b>", "café", "line\nbreak\ttab\x01", "\u2028\u2029", "bad\xffutf8", "🙂"}
	var changes []api.Change
	for i, s := range odd {
		changes = append(changes,
			api.Change{Version: int64(i), Kind: api.KindThread, ID: s, Data: data(api.Thread{ID: s, ContactName: s})},
			api.Change{Version: int64(1) << 62, Kind: s, ID: "t1", Deleted: true},
			api.Change{Version: -1, Kind: api.KindMessage, ID: s, Data: data(api.Message{Body: s})})
	}
	for name, page := range map[string]api.SyncResponse{
		"odd strings":  {Changes: changes, Cursor: 42, More: true},
		"no changes":   {Changes: []api.Change{}, Cursor: 7},
		"nil changes":  {},
		"data deleted": {Changes: []api.Change{{Version: 3, Kind: api.KindAssignment, ID: "c1", Deleted: true, Data: json.RawMessage(`{}`)}}},
	} {
		want, err := json.Marshal(page)
		if err != nil {
			t.Fatal(err)
		}
		if got := page.AppendJSON([]byte("prefix")); string(got) != "prefix"+string(want) {
			t.Errorf("%s:\n got %s\nwant prefix%s", name, got, want)
		}
	}
}

func FuzzSyncResponseAppendJSON(f *testing.F) {
	f.Add(int64(1), "thread", "t1", false, "hi")
	f.Add(int64(-5), "<&>", "\u2028\xff", true, "\"")
	f.Fuzz(func(t *testing.T, version int64, kind, id string, deleted bool, body string) {
		raw, err := json.Marshal(api.Message{ID: id, Body: body})
		if err != nil {
			t.Fatal(err)
		}
		page := api.SyncResponse{Changes: []api.Change{{Version: version, Kind: kind, ID: id, Deleted: deleted, Data: raw}}, Cursor: version, More: deleted}
		want, err := json.Marshal(page)
		if err != nil {
			t.Fatal(err)
		}
		if got := page.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("got %s\nwant %s", got, want)
		}
	})
}
