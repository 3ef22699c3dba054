package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// A sync page may bring a thread whose newest reply's time is past a reply
// the next page brings. Read between them, the thread is read as far as the
// reply on screen: the one still on its way stays unread, here and on the
// server (a hand-over tells the new owner of it).
func TestReadBetweenPagesLeavesTheReplyOnItsWayUnread(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	reply := func(id string, min int) api.Change {
		return change(t, int64(min), api.KindMessage, id, api.Message{ID: id, ThreadID: "t", Direction: api.DirInbound,
			Body: "Yes", CreatedAt: *at(min)})
	}
	th := serverThread("t", api.ActionP2P)
	th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = at(0), at(2), *at(2)
	// Page one: the thread (its reply at 2) and no reply yet.
	apply(t, c, change(t, 2, api.KindThread, "t", th))
	if err := c.MarkRead(ctx, "t", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, err := c.PendingCount(ctx); err != nil || n != 0 {
		t.Fatalf("read with no reply here: %d queued, %v; want none", n, err)
	}
	// Page two: the reply at 1, read; page three: the reply at 2.
	apply(t, c, reply("m1", 1))
	if err := c.MarkRead(ctx, "t", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	muts, err := c.PendingMutations(ctx, 10)
	if err != nil || len(muts) != 1 || muts[0].Type != api.MutRead || !muts[0].At.Equal(*at(1)) {
		t.Fatalf("read as far as the reply at 1: %+v, %v", muts, err)
	}
	// Read again before the next page: nothing more shown, nothing queued.
	if err := c.MarkRead(ctx, "t", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, err := c.PendingCount(ctx); err != nil || n != 1 {
		t.Fatalf("read again: %d queued, %v; want the one read", n, err)
	}
	apply(t, c, reply("m2", 2))
	if d, err := c.Thread(ctx, "t"); err != nil || !d.Unread {
		t.Fatalf("the reply at 2, never on screen: unread %v, %v", d.Unread, err)
	}
	// Read now: the reply just shown is read, in the cache's inbox too.
	if err := c.MarkRead(ctx, "t", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	muts, err = c.PendingMutations(ctx, 10)
	if err != nil || len(muts) != 2 || !muts[1].At.Equal(*at(2)) {
		t.Fatalf("read as far as the reply at 2: %+v, %v", muts, err)
	}
	if d, err := c.Thread(ctx, "t"); err != nil || d.Unread {
		t.Fatalf("after reading the reply at 2: unread %v, %v", d.Unread, err)
	}
}
