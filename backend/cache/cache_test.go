package cache_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

func TestOpenIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "textbank")
	c, err := cache.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	seed(t, c) // writes, so the WAL and shm files exist
	for path, want := range map[string]os.FileMode{
		dir:                                0o700,
		filepath.Join(dir, cache.FileName): 0o600,
		filepath.Join(dir, cache.FileName+"-wal"): 0o600,
	} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s mode %o, want %o", path, got, want)
		}
	}
}

func TestOpenBadDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{"empty": "", "under a file": filepath.Join(file, "sub")} {
		t.Run(name, func(t *testing.T) {
			if _, err := cache.Open(context.Background(), dir); err == nil {
				t.Fatal("Open succeeded")
			}
		})
	}
}

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	seed(t, c)
	c.Close()
	c, err = cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if cur, _ := c.Cursor(ctx); cur != 4 {
		t.Fatalf("cursor %d after reopen", cur)
	}
}

func TestSessionAndWipe(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.LoadSession(ctx); ok || err != nil {
		t.Fatalf("fresh cache has a session: %v %v", ok, err)
	}
	want := cache.Session{Token: "tok", User: api.User{ID: "u1", Name: "Vi", Email: "vi@example.org"}, ServerURL: "http://127.0.0.1:1"}
	if err := c.SaveSession(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := c.LoadSession(ctx)
	if err != nil || !ok || got != want {
		t.Fatalf("LoadSession = %+v %v %v", got, ok, err)
	}
	seed(t, c)
	if err := c.Wipe(ctx); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 0 {
		t.Fatalf("files left after wipe: %v", left)
	}
}

func TestApplyPage(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	th := serverThread("k9", api.ActionP2P)
	th.LastInboundAt = at(2)
	res := apply(t, c,
		change(t, 5, api.KindThread, "k9", th),
		change(t, 6, api.KindMessage, "m1", api.Message{ID: "m1", ThreadID: "k9", Direction: api.DirOutbound, Body: "Hi", Status: api.StatusSent, CreatedAt: *at(1)}),
		change(t, 7, api.KindMessage, "m2", api.Message{ID: "m2", ThreadID: "k9", Direction: api.DirInbound, Body: "Who is this?", Status: api.StatusReceived, CreatedAt: *at(2)}),
		api.Change{Version: 8, Kind: api.KindAssignment, ID: "k2", Deleted: true},
		api.Change{Version: 9, Kind: "poll", ID: "p1", Data: json.RawMessage(`{}`)},
	)
	if res.Applied != 4 || res.Skipped != 1 {
		t.Fatalf("result %+v", res)
	}
	if len(res.NewInbound) != 1 || res.NewInbound[0].MessageID != "m2" || res.NewInbound[0].ContactName != "Contact k9" || res.NewInbound[0].ContactPhone != "+1555010k9" ||
		res.NewInbound[0].CampaignID != "c1" {
		t.Fatalf("new inbound %+v", res.NewInbound)
	}
	if cur, _ := c.Cursor(ctx); cur != 9 {
		t.Fatalf("cursor %d", cur)
	}
	q, _ := c.Assignments(ctx, "a1")
	if len(q) != 1 || q[0].ContactID != "k1" {
		t.Fatalf("queue %+v", q)
	}
	rows, _ := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.Unread, CampaignID: "c1"})
	if len(rows) != 1 || rows[0].LastMessage != "Who is this?" || !rows[0].NeedsAttention || rows[0].ActionTitle != "Get out the vote" {
		t.Fatalf("unread rows %+v", rows)
	}
	// The contact's reply is the last word: the row does not put it in our mouth.
	if rows[0].LastFromUs {
		t.Fatalf("a reply listed as ours: %+v", rows[0])
	}
	// The same message again is not new.
	res = apply(t, c, change(t, 10, api.KindMessage, "m2", api.Message{ID: "m2", ThreadID: "k9", Direction: api.DirInbound, Body: "Who is this?", CreatedAt: *at(2)}))
	if len(res.NewInbound) != 0 {
		t.Fatalf("repeat reported as new: %+v", res.NewInbound)
	}
	// A reply to a thread an earlier page brought names its campaign too
	// (read from the cache, not the page).
	res = apply(t, c, change(t, 10, api.KindMessage, "m4", api.Message{ID: "m4", ThreadID: "k9", Direction: api.DirInbound, Body: "Still there?", CreatedAt: *at(3)}))
	if len(res.NewInbound) != 1 || res.NewInbound[0].CampaignID != "c1" || res.NewInbound[0].ContactName != "Contact k9" {
		t.Fatalf("a later reply's notice %+v", res.NewInbound)
	}
	// A blocked contact's new message is stored but not announced.
	blocked := serverThread("k8", api.ActionP2P)
	blocked.Blocked = true
	res = apply(t, c, change(t, 10, api.KindThread, "k8", blocked),
		change(t, 10, api.KindMessage, "m3", api.Message{ID: "m3", ThreadID: "k8", Direction: api.DirInbound, Body: "abuse", CreatedAt: *at(3)}))
	if len(res.NewInbound) != 0 {
		t.Fatalf("blocked contact announced: %+v", res.NewInbound)
	}
	if d, _ := c.Thread(ctx, "k8"); len(d.Messages) != 1 || d.Unread || d.NeedsAttention {
		t.Fatalf("blocked thread %+v", d)
	}
	// Nor an opted-out contact's: the STOP that opted them out, or words after it.
	stopped := serverThread("k7", api.ActionP2P)
	stopped.OptedOut = true
	res = apply(t, c, change(t, 10, api.KindThread, "k7", stopped),
		change(t, 10, api.KindMessage, "m5", api.Message{ID: "m5", ThreadID: "k7", Direction: api.DirInbound, Body: "STOP", CreatedAt: *at(3)}))
	if len(res.NewInbound) != 0 {
		t.Fatalf("an opted-out contact's STOP announced: %+v", res.NewInbound)
	}
	res = apply(t, c, change(t, 10, api.KindMessage, "m6", api.Message{ID: "m6", ThreadID: "k7", Direction: api.DirInbound, Body: "why", CreatedAt: *at(4)}))
	if len(res.NewInbound) != 0 {
		t.Fatalf("an opted-out contact's later words announced: %+v", res.NewInbound)
	}
	// Each reply is dated by its own message.
	res = apply(t, c, change(t, 10, api.KindMessage, "m7", api.Message{ID: "m7", ThreadID: "k9", Direction: api.DirInbound, Body: "Hello?", CreatedAt: *at(5)}))
	if len(res.NewInbound) != 1 || !res.NewInbound[0].At.Equal(*at(5)) {
		t.Fatalf("a reply's notice %+v, want it dated %v", res.NewInbound, *at(5))
	}
	// Thread deleted (reassigned away): it and its messages go.
	apply(t, c, api.Change{Version: 11, Kind: api.KindThread, ID: "k9", Deleted: true})
	if _, err := c.Thread(ctx, "k9"); !errors.Is(err, cache.ErrNotFound) {
		t.Fatalf("thread after delete: %v", err)
	}
}

func TestApplyPageIsAllOrNothing(t *testing.T) {
	cases := []struct {
		name string
		bad  api.Change
	}{
		{"malformed data", api.Change{Version: 6, Kind: api.KindThread, ID: "k8", Data: json.RawMessage(`{"id":`)}},
		{"wrong type", api.Change{Version: 6, Kind: api.KindMessage, ID: "m8", Data: json.RawMessage(`{"body": 5}`)}},
		{"missing id", api.Change{Version: 6, Kind: api.KindAction, Data: json.RawMessage(`{}`)}},
		{"missing data", api.Change{Version: 6, Kind: api.KindCampaign, ID: "c9"}},
		{"message without thread", api.Change{Version: 6, Kind: api.KindMessage, ID: "m8", Data: json.RawMessage(`{"body":"x"}`)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			c := open(t)
			seed(t, c)
			page := api.SyncResponse{Cursor: 7, Changes: []api.Change{
				change(t, 5, api.KindThread, "k9", serverThread("k9", api.ActionP2P)),
				{Version: 5, Kind: api.KindAssignment, ID: "k1", Deleted: true},
				tc.bad,
				change(t, 7, api.KindCampaign, "c2", api.Campaign{ID: "c2", Name: "Other"}),
			}}
			if _, err := c.ApplyPage(ctx, page); err == nil {
				t.Fatal("bad page applied")
			}
			if cur, _ := c.Cursor(ctx); cur != 4 {
				t.Fatalf("cursor moved to %d", cur)
			}
			if _, err := c.Thread(ctx, "k9"); !errors.Is(err, cache.ErrNotFound) {
				t.Fatalf("thread before the bad change was kept: %v", err)
			}
			if q, _ := c.Assignments(ctx, "a1"); len(q) != 2 {
				t.Fatalf("assignment delete before the bad change was kept: %d left", len(q))
			}
			if cs, _ := c.Campaigns(ctx); len(cs) != 1 {
				t.Fatalf("campaigns %+v", cs)
			}
		})
	}
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	a := serverThread("1", api.ActionP2P)
	a.ContactName, a.ContactPhone = "Ada Lovelace", "+15550100001"
	b := serverThread("2", api.ActionP2P)
	b.ContactName, b.ContactPhone = "Grace 100% Hopper", "+15550177777"
	// Typed on an English keyboard, a name is often typed without its accents.
	d := serverThread("3", api.ActionP2P)
	d.ContactName, d.ContactPhone = "Franklin Chang-Díaz", "+15550133333"
	d.LastMessageAt = d.LastMessageAt.Add(-time.Hour)
	apply(t, c, change(t, 5, api.KindThread, "1", a), change(t, 6, api.KindThread, "2", b), change(t, 7, api.KindThread, "3", d))
	cases := []struct {
		query string
		want  []string
	}{
		{"", []string{"2", "1", "3"}},
		{"diaz", []string{"3"}},
		{"DÍAZ", []string{"3"}},
		{"Chang-Díaz", []string{"3"}},
		{"ｄｉａｚ", []string{"3"}},
		{"dí", []string{"3"}},
		{"ada", []string{"1"}},
		{"LOVE", []string{"1"}},
		{"555 0100", []string{"1"}},
		{"(555) 017-7777", []string{"2"}},
		{"+1555", []string{"2", "1", "3"}},
		{"100%", []string{"2"}},
		{"_", nil},
		{"nobody", nil},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.All, Search: tc.query})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.ID)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v want %v", got, tc.want)
				}
			}
		})
	}
}

// A reply a page brings to the thread on screen is read in the page's own
// transaction: it is never unread, and the read waits in the outbox. Other
// threads, and pages without a new reply to it, are left alone.
func TestApplyPageReadsTheOpenThread(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	for _, id := range []string{"open", "other"} {
		th := serverThread(id, api.ActionP2P)
		th.LastOutboundAt = at(0)
		apply(t, c, change(t, 1, api.KindThread, id, th))
	}
	page := func(version int64, threadID, msgID string, open string) cache.PageResult {
		t.Helper()
		th := serverThread(threadID, api.ActionP2P)
		th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = at(0), at(int(version)), *at(int(version))
		res, err := c.ApplyPageReading(ctx, api.SyncResponse{Cursor: version, Changes: []api.Change{
			change(t, version, api.KindThread, threadID, th),
			change(t, version, api.KindMessage, msgID, api.Message{ID: msgID, ThreadID: threadID, Direction: api.DirInbound,
				Body: "Yes", CreatedAt: *at(int(version))}),
		}}, open, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	unread := func(id string) bool {
		t.Helper()
		d, err := c.Thread(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return d.Unread
	}

	if res := page(2, "open", "m1", "open"); !res.ReadOpen || unread("open") {
		t.Fatalf("reply to the open thread: ReadOpen %v, unread %v", res.ReadOpen, unread("open"))
	}
	// Read as far as the reply the page brought (its time), not the page's
	// now: a later reply not yet here stays unread (markReadTx).
	muts, err := c.PendingMutations(ctx, 10)
	if err != nil || len(muts) != 1 || muts[0].Type != api.MutRead || muts[0].ThreadID != "open" || !muts[0].At.Equal(*at(2)) {
		t.Fatalf("outbox after the open thread's reply: %+v, %v", muts, err)
	}
	if res := page(3, "other", "m2", "open"); res.ReadOpen || !unread("other") {
		t.Fatalf("reply elsewhere: ReadOpen %v, unread %v", res.ReadOpen, unread("other"))
	}
	// The same reply again (a repeated page) is not new: nothing more queued.
	if res := page(4, "open", "m1", "open"); res.ReadOpen {
		t.Fatal("a reply already seen was read again")
	}
	if n, err := c.PendingCount(ctx); err != nil || n != 1 {
		t.Fatalf("pending %d, %v; want the one read", n, err)
	}
	// A read is not a change the volunteer made: the status bar's count
	// and the sign-out warning leave it out, as the Outbox list does.
	if n, err := c.WaitingCount(ctx); err != nil || n != 0 {
		t.Fatalf("waiting %d, %v; want 0 (only a read is queued)", n, err)
	}
}
