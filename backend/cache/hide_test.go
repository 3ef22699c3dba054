package cache_test

import (
	"context"
	"errors"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

// A block hides its thread at once; a sync page from before the server
// applied it does not bring it back; a refusal restores it whole; an
// accepted one leaves it gone.
func TestHideThreads(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	repliedThread(t, c)
	apply(t, c, change(t, 7, api.KindMessage, "in2", api.Message{ID: "in2", ThreadID: "k9", Direction: api.DirInbound,
		Body: "no more texts please", CreatedAt: *at(3), LikelyOptOut: true}),
		// A text the volunteer sent before handing the thread over keeps their name.
		change(t, 7, api.KindMessage, "out0", api.Message{ID: "out0", ThreadID: "k9", Direction: api.DirOutbound,
			Body: "Hi!", CreatedAt: *at(1), SentBy: "u-dana", SentByName: "Dana Volunteer"}))
	if d, err := c.Thread(ctx, "k9"); err != nil || !sentByDana(d.Messages) {
		t.Fatalf("the sender of out0 is not kept: %+v %v", d.Messages, err)
	}
	if err := c.Report(ctx, "k9", "rep1", map[string]string{"notes": "n"}, *at(4)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.HideThreads(ctx, api.Mutation{Type: api.MutRead, ThreadID: "k9"}, []string{"k9"}, *at(5)); err == nil {
		t.Fatal("a read hid a thread")
	}
	if _, err := c.HideThreads(ctx, api.Mutation{Type: api.MutBlock, ThreadID: "nope", Reason: api.BlockSpam}, []string{"nope"}, *at(5)); !errors.Is(err, cache.ErrNotFound) {
		t.Fatalf("hiding a missing thread: %v", err)
	}
	n, err := c.HideThreads(ctx, api.Mutation{Type: api.MutBlock, ThreadID: "k9", Reason: api.BlockSpam}, []string{"k9"}, *at(5))
	if err != nil || n != 1 {
		t.Fatalf("hide: %d %v", n, err)
	}
	gone := func(when string) {
		t.Helper()
		if _, err := c.Thread(ctx, "k9"); !errors.Is(err, cache.ErrNotFound) {
			t.Fatalf("%s: thread still there (%v)", when, err)
		}
		if m, _ := c.Counts(ctx, "c1"); m[inbox.All] != 0 {
			t.Fatalf("%s: counts %v", when, m)
		}
	}
	gone("hidden")
	// The server re-sends the thread before it applied the block.
	res := apply(t, c, change(t, 8, api.KindMessage, "in3", api.Message{ID: "in3", ThreadID: "k9", Direction: api.DirInbound, Body: "hello?", CreatedAt: *at(6)}),
		change(t, 9, api.KindThread, "k9", serverThread("k9", api.ActionP2P)))
	gone("after a page")
	if len(res.NewInbound) != 0 {
		t.Fatalf("a hidden thread's message was announced: %+v", res.NewInbound)
	}
	out, err := c.Outbox(ctx)
	if err != nil || len(out) != 2 || out[1].ContactName != "Contact k9" {
		t.Fatalf("outbox %+v %v", out, err)
	}
	// Refused: back as it was, report and flags included.
	if err := c.MarkRejected(ctx, out[1].Mutation.ID, api.RejectNotAssigned, "no"); err != nil {
		t.Fatal(err)
	}
	d, err := c.Thread(ctx, "k9")
	if err != nil {
		t.Fatal(err)
	}
	flagged := false
	for _, m := range d.Messages {
		flagged = flagged || (m.ID == "in2" && m.LikelyOptOut)
	}
	if len(d.Messages) < 2 || !flagged || len(d.Reports) != 1 || !sentByDana(d.Messages) {
		t.Fatalf("restored thread: %d messages (flag kept %v, sender kept %v), %d reports", len(d.Messages), flagged, sentByDana(d.Messages), len(d.Reports))
	}
}

func sentByDana(ms []cache.MessageRow) bool {
	for _, m := range ms {
		if m.ID == "out0" {
			return m.SentBy == "u-dana" && m.SentByName == "Dana Volunteer"
		}
	}
	return false
}
