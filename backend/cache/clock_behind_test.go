package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
)

// TestClockBehindTheServer: a desktop clock five minutes behind the
// server's. The volunteer reads a reply (server time t0), answers it, files
// a report and archives a minute later: each is dated after the reply, so
// the thread leaves Needs Attention and the inbox here, and the server,
// judging by the mutations' times (inbox.ArchiveHolds), agrees.
func TestClockBehindTheServer(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	th := serverThread("k1", api.ActionP2P)
	th.LastOutboundAt, th.LastInboundAt, th.LastMessageAt = at(-10), at(0), t0
	apply(t, c,
		change(t, 10, api.KindThread, "k1", th),
		change(t, 11, api.KindMessage, "m1", api.Message{ID: "m1", ThreadID: "k1", Direction: api.DirInbound, Body: "Who is this?", Status: api.StatusReceived, CreatedAt: t0}),
	)
	desktopNow := t0.Add(-4 * time.Minute) // a minute after the reply, by a clock 5 minutes slow
	if err := c.MarkRead(ctx, "k1", desktopNow); err != nil {
		t.Fatal(err)
	}
	if err := c.Reply(ctx, "k1", "r1", "It's Vera, from the campaign.", "", desktopNow); err != nil {
		t.Fatal(err)
	}
	if err := c.Report(ctx, "k1", "rep1", map[string]string{"notes": "asked who we are"}, desktopNow); err != nil {
		t.Fatal(err)
	}
	d, err := c.Thread(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	if d.NeedsAttention {
		t.Fatal("answered and reported, the thread still needs attention: the reply was dated before the text it answers")
	}
	if err := c.Archive(ctx, "k1", true, desktopNow); err != nil {
		t.Fatal(err)
	}
	if d, err = c.Thread(ctx, "k1"); err != nil {
		t.Fatal(err)
	}
	if !d.Thread.Archived {
		t.Fatal("archived after reading the reply, the thread stays in the inbox")
	}
	ms, err := c.PendingMutations(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Type == api.MutArchive && !inbox.ArchiveHolds(m.CreatedAt, at(0)) {
			t.Fatalf("the archive goes to the server dated %v, before the reply at %v: it would not hold there", m.CreatedAt, *at(0))
		}
		if (m.Type == api.MutReply || m.Type == api.MutReport) && !m.CreatedAt.After(*at(0)) {
			t.Fatalf("the %s goes to the server dated %v, not after the reply at %v", m.Type, m.CreatedAt, *at(0))
		}
	}
}
