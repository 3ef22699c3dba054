package cache_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

// handBacks is a cache holding n conversations from before they were handed
// away, another ("stay") it keeps, and a page handing all n back, as a
// bulk hand-back sends it (server reassign): each a handover, its history,
// its thread and a reply no one read, with changes to "stay" between them.
// The page's last changes bring a thread new to the cache, then drop it.
func handBacks(tb testing.TB, n int) (*cache.Cache, []api.Change, []string) {
	c := open(tb)
	thread := func(i int) api.Thread {
		th := serverThread(fmt.Sprintf("h%d", i), api.ActionP2P)
		th.LastOutboundAt = &t0
		return th
	}
	msg := func(thread, id string, min int) api.Message {
		return api.Message{ID: id, ThreadID: thread, Direction: api.DirInbound, Body: "Reply " + id, Status: api.StatusReceived, CreatedAt: *at(min)}
	}
	var before []api.Change
	var ids []string
	v := int64(1)
	next := func() int64 { v++; return v }
	for i := range n {
		th := thread(i)
		th.LastInboundAt, th.LastMessageAt = at(1), *at(1)
		ids = append(ids, th.ID)
		before = append(before, change(tb, next(), api.KindThread, th.ID, th),
			change(tb, next(), api.KindMessage, th.ID+"-a", msg(th.ID, th.ID+"-a", 1)))
	}
	stay := serverThread("stay", api.ActionP2P)
	before = append(before, change(tb, next(), api.KindThread, "stay", stay))
	apply(tb, c, before...)

	var page []api.Change
	for i := range n {
		th := thread(i)
		th.LastInboundAt, th.LastMessageAt = at(3), *at(3)
		th.Reassigned = &api.Reassignment{FromUserID: "b1", FromUserName: "Bea", At: *at(4)}
		page = append(page, handover(next(), th.ID),
			change(tb, next(), api.KindMessage, th.ID+"-a", msg(th.ID, th.ID+"-a", 1)),
			change(tb, next(), api.KindMessage, th.ID+"-b", msg(th.ID, th.ID+"-b", 2)),
			change(tb, next(), api.KindThread, th.ID, th),
			change(tb, next(), api.KindMessage, th.ID+"-c", msg(th.ID, th.ID+"-c", 3)))
		if i%5 == 0 {
			stay.LastInboundAt, stay.LastMessageAt = at(10+i), *at(10 + i)
			page = append(page, change(tb, next(), api.KindThread, "stay", stay),
				change(tb, next(), api.KindMessage, fmt.Sprintf("stay-%d", i), msg("stay", fmt.Sprintf("stay-%d", i), 10+i)))
		}
	}
	fresh := serverThread("fresh", api.ActionP2P)
	page = append(page, change(tb, next(), api.KindThread, "fresh", fresh), handover(next(), "fresh"))
	return c, page, append(ids, "stay", "fresh")
}

// cacheState is what a volunteer sees of the threads ids: their list rows,
// the inbox counts, the unread ones a search finds and their messages.
type cacheState struct {
	Rows     []cache.ThreadRow
	Counts   map[inbox.Filter]int
	Found    []string
	Messages map[string]int
}

func stateOf(t *testing.T, c *cache.Cache, ids []string) cacheState {
	t.Helper()
	ctx := t.Context()
	s := cacheState{Messages: map[string]int{}}
	var err error
	if s.Rows, err = c.ThreadRows(ctx, ids); err != nil {
		t.Fatal(err)
	}
	if s.Counts, err = c.Counts(ctx, ""); err != nil {
		t.Fatal(err)
	}
	found, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.Unread, Search: "contact", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range found {
		s.Found = append(s.Found, r.ID)
	}
	for _, id := range ids {
		if d, err := c.Thread(ctx, id); err == nil {
			s.Messages[id] = len(d.Messages)
		}
	}
	return s
}

// TestPageOfManyHandBacks: a page handing back many conversations leaves
// the cache as the same changes one a page do (the batch forgets only the
// thread each handover drops), and tells each hand-back and each reply no
// one read, never the history.
func TestPageOfManyHandBacks(t *testing.T) {
	const n = 30
	c, page, ids := handBacks(t, n)
	res := apply(t, c, page...)
	handedBack := 0
	for _, r := range res.Reassigned {
		if r.FromName == "Bea" {
			handedBack++
		}
	}
	if handedBack != n {
		t.Errorf("told %d hand-backs, want %d", handedBack, n)
	}
	replies := 0
	for _, id := range told(res) {
		if strings.HasSuffix(id, "-c") {
			replies++
		} else if !strings.HasPrefix(id, "stay") {
			t.Errorf("told %s, history", id)
		}
	}
	if replies != n {
		t.Errorf("told %d replies no one read, want %d", replies, n)
	}
	got := stateOf(t, c, ids)
	if len(got.Rows) != n+1 || got.Messages["h0"] != 3 || got.Counts[inbox.Unread] != n+1 || len(got.Found) != n+1 {
		t.Errorf("after the page: %d threads, h0 with %d messages, %d unread, %d found; want %d, 3, %d, %d",
			len(got.Rows), got.Messages["h0"], got.Counts[inbox.Unread], len(got.Found), n+1, n+1, n+1)
	}

	one, page, _ := handBacks(t, n)
	for _, ch := range page {
		apply(t, one, ch)
	}
	if want := stateOf(t, one, ids); !reflect.DeepEqual(got, want) {
		t.Errorf("one page:\n%+v\nwant as one change a page:\n%+v", got, want)
	}
}

// deletions is a cache holding n conversations and a page taking them all
// away (a Reassign All of the volunteer's), each deletion after a reply to
// another conversation ("stay") and one to it, and before a new one's thread
// and reply; every third comes back on the page.
func deletions(tb testing.TB, n int) (*cache.Cache, []api.Change, []string) {
	c := open(tb)
	reply := func(v int64, thread, id string) api.Change {
		return change(tb, v, api.KindMessage, id, api.Message{ID: id, ThreadID: thread, Direction: api.DirInbound, Body: "Reply " + id,
			Status: api.StatusReceived, CreatedAt: *at(int(v))})
	}
	thread := func(v int64, id string) api.Change {
		th := serverThread(id, api.ActionP2P)
		th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = &t0, at(int(v)), *at(int(v))
		return change(tb, v, api.KindThread, id, th)
	}
	var before, page []api.Change
	ids := []string{"stay"}
	before = append(before, thread(1, "stay"))
	v := int64(1)
	for i := range n {
		id := fmt.Sprintf("h%d", i)
		v++
		before = append(before, thread(v, id), reply(v, id, id+"-a"))
		ids = append(ids, id, "new-"+id)
	}
	apply(tb, c, before...)
	for i := range n {
		id := fmt.Sprintf("h%d", i)
		v++
		page = append(page, reply(v, "stay", fmt.Sprintf("stay-%d", i)), reply(v, id, id+"-b"),
			api.Change{Version: v, Kind: api.KindThread, ID: id, Deleted: true},
			thread(v, "new-"+id), reply(v, "new-"+id, "new-"+id+"-a"))
		if i%3 == 0 { // handed away and back: here again, with its history
			page = append(page, reply(v, id, id+"-a"), thread(v, id))
		}
	}
	return c, page, ids
}

// TestPageOfManyDeletions: a page deleting many conversations between
// changes to others leaves the cache as the same changes one a page do.
func TestPageOfManyDeletions(t *testing.T) {
	const n = 30
	c, page, ids := deletions(t, n)
	apply(t, c, page...)
	got := stateOf(t, c, ids)
	back := n / 3 // h0, h3, ...
	if len(got.Rows) != n+1+back || got.Messages["stay"] != n || got.Messages["h0"] != 1 || got.Messages["h1"] != 0 ||
		got.Counts[inbox.Unread] != n+1+back || len(got.Found) != n+1+back {
		t.Errorf("after the page: %d threads, stay with %d messages, h0 with %d, h1 with %d, %d unread, %d found; want %d, %d, 1, 0, %d, %d",
			len(got.Rows), got.Messages["stay"], got.Messages["h0"], got.Messages["h1"], got.Counts[inbox.Unread], len(got.Found),
			n+1+back, n, n+1+back, n+1+back)
	}
	one, page, _ := deletions(t, n)
	for _, ch := range page {
		apply(t, one, ch)
	}
	if want := stateOf(t, one, ids); !reflect.DeepEqual(got, want) {
		t.Errorf("one page:\n%+v\nwant as one change a page:\n%+v", got, want)
	}
}

// BenchmarkPageOfHandBacks applies a page of 100 hand-backs (PERFORMANCE-LOG).
func BenchmarkPageOfHandBacks(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		c, page, _ := handBacks(b, 100)
		b.StartTimer()
		apply(b, c, page...)
	}
}

// BenchmarkPageOfDeletions applies a page taking 100 conversations away.
func BenchmarkPageOfDeletions(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		c, page, _ := deletions(b, 100)
		b.StartTimer()
		apply(b, c, page...)
	}
}
