package cache_test

import (
	"context"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

// TestOptedOutContactsLaterTextsAreNoWork: a contact who opted out (STOP,
// which the volunteer then read) and texts START is shown the START in the
// thread, but the thread is neither unread nor in Needs Attention, and an
// archived one stays archived: the server does not count the START as new
// work (inbox.ReplyIsNewWork: it leaves the thread's LastInboundAt at the
// STOP), and the cache must not count it from its own messages either.
func TestOptedOutContactsLaterTextsAreNoWork(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	th := serverThread("k9", api.ActionP2P)
	th.OptedOut, th.LastOutboundAt, th.LastInboundAt, th.LastReadAt = true, at(1), at(2), at(3)
	th.LastMessageAt = *at(2)
	apply(t, c,
		change(t, 5, api.KindThread, "k9", th),
		change(t, 6, api.KindMessage, "m1", api.Message{ID: "m1", ThreadID: "k9", Direction: api.DirOutbound, Body: "Hi", Status: api.StatusSent, CreatedAt: *at(1)}),
		change(t, 7, api.KindMessage, "m2", api.Message{ID: "m2", ThreadID: "k9", Direction: api.DirInbound, Body: "STOP", Status: api.StatusReceived, CreatedAt: *at(2)}),
	)
	// The START, as the server sends it: the thread as it was, the message.
	apply(t, c,
		change(t, 8, api.KindThread, "k9", th),
		change(t, 9, api.KindMessage, "m3", api.Message{ID: "m3", ThreadID: "k9", Direction: api.DirInbound, Body: "START", Status: api.StatusReceived, CreatedAt: *at(4)}),
	)
	d, err := c.Thread(ctx, "k9")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Messages) != 3 || d.Messages[2].Body != "START" {
		t.Fatalf("the START is not shown in the thread: %+v", d.Messages)
	}
	if d.Unread || d.NeedsAttention {
		t.Fatalf("the START made the thread unread %v, needing attention %v", d.Unread, d.NeedsAttention)
	}
	counts, err := c.Counts(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if counts[inbox.Unread] != 0 || counts[inbox.NeedsAttention] != 0 || counts[inbox.All] != 1 {
		t.Fatalf("counts after the START = %v, want the thread in All only", counts)
	}
	rows, err := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.All, CampaignID: "c1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].LastMessage != "START" || rows[0].Unread {
		t.Fatalf("inbox rows after the START = %+v", rows)
	}
	// Archived, it stays archived (the server does not unarchive it).
	th.Archived, th.ArchivedReason = true, "manual"
	apply(t, c,
		change(t, 10, api.KindThread, "k9", th),
		change(t, 11, api.KindMessage, "m4", api.Message{ID: "m4", ThreadID: "k9", Direction: api.DirInbound, Body: "START", Status: api.StatusReceived, CreatedAt: *at(5)}),
	)
	if counts, _ := c.Counts(ctx, "c1"); counts[inbox.Archive] != 1 || counts[inbox.All] != 0 || counts[inbox.Unread] != 0 {
		t.Fatalf("counts after a START to the archived thread = %v", counts)
	}
}

// An archive queued offline after the STOP still holds when the START comes
// before it reaches the server: the server will not unarchive for a START
// (inbox.ArchiveHolds reads the server's last inbound time), so neither
// does the cache.
func TestQueuedArchiveHoldsAgainstAnOptedOutContactsStart(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	th := serverThread("k9", api.ActionP2P)
	th.OptedOut, th.LastOutboundAt, th.LastInboundAt, th.LastReadAt = true, at(1), at(2), at(3)
	apply(t, c,
		change(t, 5, api.KindThread, "k9", th),
		change(t, 6, api.KindMessage, "m2", api.Message{ID: "m2", ThreadID: "k9", Direction: api.DirInbound, Body: "STOP", Status: api.StatusReceived, CreatedAt: *at(2)}),
	)
	if err := c.Archive(ctx, "k9", true, *at(3)); err != nil {
		t.Fatal(err)
	}
	apply(t, c,
		change(t, 7, api.KindThread, "k9", th),
		change(t, 8, api.KindMessage, "m3", api.Message{ID: "m3", ThreadID: "k9", Direction: api.DirInbound, Body: "START", Status: api.StatusReceived, CreatedAt: *at(4)}),
	)
	if counts, _ := c.Counts(ctx, "c1"); counts[inbox.Archive] != 1 || counts[inbox.All] != 0 || counts[inbox.Unread] != 0 {
		t.Fatalf("counts after a START to a thread archived offline = %v, want it in Archive only", counts)
	}
}
