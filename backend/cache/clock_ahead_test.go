package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// TestArchiveCoversTheRepliesHeld: an archive goes to the server saying
// how far into the contact's replies it reaches (at: the newest reply
// held), and the cache holds it over those alone, as the server does. With
// the desktop's clock an hour ahead, an archive queued offline was dated
// after a reply that came before it reached the server, and held over
// that reply here, never shown: the thread stayed in the Archive with new
// work in it. Fails without the fix.
func TestArchiveCoversTheRepliesHeld(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	th := serverThread("k1", api.ActionP2P)
	th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = at(-10), at(0), t0
	apply(t, c,
		change(t, 10, api.KindThread, "k1", th),
		change(t, 11, api.KindMessage, "m1", api.Message{ID: "m1", ThreadID: "k1", Direction: api.DirInbound, Body: "Who is this?", Status: api.StatusReceived, CreatedAt: t0}),
	)
	if err := c.Archive(ctx, "k1", true, t0.Add(time.Hour)); err != nil { // a minute after the reply, by a clock an hour fast
		t.Fatal(err)
	}
	ms, err := c.PendingMutations(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].At == nil || !ms[0].At.Equal(t0) {
		t.Fatalf("queued %+v, want one archive reaching as far as the reply held, %v", ms, t0)
	}

	// Before it reaches the server, another reply comes.
	th.LastInboundAt, th.LastMessageAt = at(2), *at(2)
	apply(t, c,
		change(t, 12, api.KindThread, "k1", th),
		change(t, 13, api.KindMessage, "m2", api.Message{ID: "m2", ThreadID: "k1", Direction: api.DirInbound, Body: "Hello?", Status: api.StatusReceived, CreatedAt: *at(2)}),
	)
	d, err := c.Thread(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	if d.Thread.Archived {
		t.Fatal("the queued archive holds over a reply that came after it was pressed")
	}

	// Archived again having seen it, it holds.
	if err := c.Archive(ctx, "k1", true, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if d, err = c.Thread(ctx, "k1"); err != nil {
		t.Fatal(err)
	}
	if !d.Thread.Archived {
		t.Fatal("archived after the second reply, the thread stays in the inbox")
	}
}
