package server_test

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// What a test client holds after syncing, as the app's cache would.

// syncState is what a client holds after applying every sync page.
type syncState map[string]api.Change

func key(kind, id string) string { return kind + "/" + id }

func (s syncState) apply(changes []api.Change) {
	for _, ch := range changes {
		if ch.Deleted {
			delete(s, key(ch.Kind, ch.ID))
			continue
		}
		s[key(ch.Kind, ch.ID)] = ch
	}
}

func (s syncState) thread(t *testing.T, id string) api.Thread {
	t.Helper()
	ch, ok := s[key(api.KindThread, id)]
	if !ok {
		t.Fatalf("thread %s not synced", id)
	}
	var th api.Thread
	if err := json.Unmarshal(ch.Data, &th); err != nil {
		t.Fatal(err)
	}
	return th
}

func (s syncState) messages(t *testing.T, threadID string) []api.Message {
	t.Helper()
	var out []api.Message
	for _, ch := range s {
		if ch.Kind != api.KindMessage {
			continue
		}
		var m api.Message
		if err := json.Unmarshal(ch.Data, &m); err != nil {
			t.Fatal(err)
		}
		if m.ThreadID == threadID {
			out = append(out, m)
		}
	}
	return out
}

// reports are the synced reports, oldest first (by id when filed at once).
func (s syncState) reports(t *testing.T) []api.Report {
	t.Helper()
	var out []api.Report
	for _, ch := range s {
		if ch.Kind != api.KindReport {
			continue
		}
		var r api.Report
		if err := json.Unmarshal(ch.Data, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(x, y api.Report) int {
		return cmp.Or(x.SubmittedAt.Compare(y.SubmittedAt), cmp.Compare(x.ID, y.ID))
	})
	return out
}

func (s syncState) count(kind string) int {
	n := 0
	for _, ch := range s {
		if ch.Kind == kind {
			n++
		}
	}
	return n
}

// syncAll pulls every page after cursor into state and returns the new cursor.
func syncAll(t *testing.T, c *api.Client, state syncState, cursor int64, limit int) int64 {
	t.Helper()
	for range 10000 {
		page, err := c.Sync(context.Background(), cursor, limit)
		if err != nil {
			t.Fatalf("sync after %d: %v", cursor, err)
		}
		// A first text's three changes are one feed entry, never split
		// across pages: below 3 a page may hold more than limit.
		if limit > 0 && len(page.Changes) > max(limit, 3) {
			t.Fatalf("sync page has %d changes, limit %d", len(page.Changes), limit)
		}
		state.apply(page.Changes)
		cursor = page.Cursor
		if !page.More {
			return cursor
		}
	}
	t.Fatal("sync never ended")
	return 0
}
