package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
)

func TestSyncPagingMatchesOnePull(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, c, _, b := f.texting("pager", campaignOpts{batch: 10, contacts: 10, numbers: 1})
	for _, a := range b.Assigned[:6] {
		res, _ := sendInitial(t, c, a.ContactID)
		wantApplied(t, res)
		res = push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutArchive, ThreadID: a.ContactID, Archived: ptr(true)})
		wantApplied(t, res)
	}
	f.drain() // the dispatcher's status changes are in the feed too
	whole := syncState{}
	wholeCursor := syncAll(t, c, whole, 0, 1000)

	for _, limit := range []int{1, 2, 3, 7, 500} {
		t.Run(fmt.Sprintf("limit %d", limit), func(t *testing.T) {
			paged := syncState{}
			cursor := syncAll(t, c, paged, 0, limit)
			if cursor != wholeCursor {
				t.Fatalf("cursor = %d, want %d", cursor, wholeCursor)
			}
			if len(paged) != len(whole) {
				t.Fatalf("%d entities paged, %d in one pull", len(paged), len(whole))
			}
			for k, ch := range whole {
				if string(paged[k].Data) != string(ch.Data) {
					t.Fatalf("%s differs:\n paged %s\n whole %s", k, paged[k].Data, ch.Data)
				}
			}
		})
	}
	t.Run("nothing after the last cursor", func(t *testing.T) {
		page, err := c.Sync(ctx, wholeCursor, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Changes) != 0 || page.More || page.Cursor != wholeCursor {
			t.Fatalf("page = %+v, want empty at cursor %d", page, wholeCursor)
		}
	})
	t.Run("archived threads carry inbox state", func(t *testing.T) {
		th := whole.thread(t, b.Assigned[0].ContactID)
		if !th.Archived || th.ArchivedReason != "manual" || th.ActionType != api.ActionP2P {
			t.Fatalf("thread = %+v", th)
		}
	})
	t.Run("repeats in a page collapse", func(t *testing.T) {
		page, err := c.Sync(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, ch := range page.Changes {
			k := key(ch.Kind, ch.ID)
			if seen[k] {
				t.Fatalf("%s appears twice in one page", k)
			}
			seen[k] = true
		}
	})
}

func TestSyncBadQuery(t *testing.T) {
	f := newFixture(t)
	c, _ := f.user("q")
	tests := []struct {
		name, query string
		status      int
		field       string
	}{
		{"cursor not a number", "cursor=abc", 400, "cursor"},
		{"negative cursor", "cursor=-1", 400, "cursor"},
		{"limit not a number", "limit=many", 400, "limit"},
		{"negative limit", "limit=-5", 400, "limit"},
		{"huge limit is capped", "limit=100000", 200, ""},
		{"defaults", "", 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.raw("GET", "/api/v1/sync?"+tc.query, f.token(c), nil)
			if status != tc.status {
				t.Fatalf("status = %d, want %d (%s)", status, tc.status, body)
			}
			if tc.field != "" {
				var eb api.ErrorBody
				mustJSON(t, body, &eb)
				if eb.Error.Field != tc.field || eb.Error.Code != api.CodeInvalidField {
					t.Fatalf("error = %+v, want invalid_field %s", eb.Error, tc.field)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// settingsOf reads the settings entity from a sync state.
func settingsOf(t *testing.T, s syncState, userID string) api.Settings {
	t.Helper()
	var st api.Settings
	ch, ok := s[key(api.KindSettings, userID)]
	if !ok {
		t.Fatalf("settings not synced")
	}
	if err := json.Unmarshal(ch.Data, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestSyncFirstTextChanges: a first text is one feed entry that sync
// answers as the three changes the app applies, the assignment gone, the
// thread and the message, in that order and with the entry's version (the
// message's newer if its status changed since).
func TestSyncFirstTextChanges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, c, _, b := f.texting("first", campaignOpts{batch: 2, contacts: 2, numbers: 1})
	before, err := c.Sync(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	res, msgID := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	page, err := c.Sync(ctx, before.Cursor, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Changes) < 3 {
		t.Fatalf("changes after a first text = %+v, want at least 3", page.Changes)
	}
	contact := b.Assigned[0].ContactID
	want := []struct {
		kind, id string
		deleted  bool
	}{{api.KindAssignment, contact, true}, {api.KindThread, contact, false}, {api.KindMessage, msgID, false}}
	for i, w := range want {
		// The message carries its newest version: the dispatcher's
		// record of its status may be in the page already.
		ch, v := page.Changes[i], page.Changes[0].Version
		if ch.Kind != w.kind || ch.ID != w.id || ch.Deleted != w.deleted || (i < 2 && ch.Version != v) || ch.Version < v {
			t.Fatalf("change %d = %s %s deleted=%v version %d; want %s %s deleted=%v version %d",
				i, ch.Kind, ch.ID, ch.Deleted, ch.Version, w.kind, w.id, w.deleted, v)
		}
	}
	var m api.Message
	if err := json.Unmarshal(page.Changes[2].Data, &m); err != nil || m.ThreadID != contact || m.Direction != api.DirOutbound {
		t.Fatalf("message change = %s (%v)", page.Changes[2].Data, err)
	}
	// The other contact is still assigned: its assignment is untouched.
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	if n := state.count(api.KindAssignment); n != 1 {
		t.Fatalf("%d assignments after one first text of two, want 1", n)
	}
}
