package cache_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/inbox"
)

func pendingIDs(t *testing.T, c *cache.Cache) []api.Mutation {
	t.Helper()
	ms, err := c.PendingMutations(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestSendInitial(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	if err := c.SendInitial(ctx, "a1", "k1", "msg1", "Hi Ada", *at(1)); err != nil {
		t.Fatal(err)
	}
	q, _ := c.Assignments(ctx, "a1")
	if len(q) != 1 || q[0].ContactID != "k2" {
		t.Fatalf("queue after send %+v", q)
	}
	d, err := c.Thread(ctx, "k1")
	if err != nil {
		t.Fatal(err)
	}
	if d.Thread.ContactName != "Ada Lovelace" || d.Thread.SendingNumber != "+15550001000" || len(d.Messages) != 1 || !d.Messages[0].Pending || !d.Messages[0].Initial {
		t.Fatalf("thread %+v", d)
	}
	ms := pendingIDs(t, c)
	if len(ms) != 1 || ms[0].Type != api.MutSendInitial || ms[0].ContactID != "k1" || ms[0].MessageID != "msg1" || ms[0].ID == "" {
		t.Fatalf("outbox %+v", ms)
	}
	// A page that re-delivers the assignment while the send is pending does
	// not put the contact back in the queue.
	apply(t, c, change(t, 5, api.KindAssignment, "k1", api.Assignment{ContactID: "k1", ActionID: "a1", FirstName: "Ada", AssignedAt: t0}))
	if q, _ := c.Assignments(ctx, "a1"); len(q) != 1 {
		t.Fatalf("pending send came back into the queue: %+v", q)
	}
	if err := c.MarkApplied(ctx, []api.MutationResult{{ID: ms[0].ID, Status: api.ResultApplied}}); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.PendingCount(ctx); n != 0 {
		t.Fatalf("pending %d after applied", n)
	}
	d, _ = c.Thread(ctx, "k1")
	if d.Messages[0].Pending {
		t.Fatal("message still pending after applied")
	}
	// The server's thread and message replace the optimistic ones.
	th := serverThread("k1", api.ActionP2P)
	th.LastOutboundAt = at(1)
	apply(t, c,
		change(t, 6, api.KindThread, "k1", th),
		change(t, 7, api.KindMessage, "msg1", api.Message{ID: "msg1", ThreadID: "k1", Direction: api.DirOutbound, Body: "Hi Ada", Status: api.StatusSent, Initial: true, CreatedAt: *at(1)}))
	d, _ = c.Thread(ctx, "k1")
	if d.Thread.ContactName != "Contact k1" || len(d.Messages) != 1 || d.Messages[0].Status != api.StatusSent {
		t.Fatalf("server thread %+v", d)
	}
}

func TestOptimisticBadInput(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	cases := []struct {
		name string
		run  func() error
	}{
		{"send to contact not queued", func() error { return c.SendInitial(ctx, "a1", "nobody", "m", "Hi", t0) }},
		{"send in another action", func() error { return c.SendInitial(ctx, "a2", "k1", "m", "Hi", t0) }},
		{"send empty body", func() error { return c.SendInitial(ctx, "a1", "k1", "m", "  ", t0) }},
		{"reply unknown thread", func() error { return c.Reply(ctx, "nope", "m", "Hi", "", t0) }},
		{"read unknown thread", func() error { return c.MarkRead(ctx, "nope", t0) }},
		{"archive unknown thread", func() error { return c.Archive(ctx, "nope", true, t0) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); err == nil {
				t.Fatal("accepted")
			}
			if n, _ := c.PendingCount(ctx); n != 0 {
				t.Fatalf("outbox has %d rows after a refused operation", n)
			}
			if q, _ := c.Assignments(ctx, "a1"); len(q) != 2 {
				t.Fatalf("queue changed: %d", len(q))
			}
		})
	}
}

// repliedThread stores a server thread with an unread reply.
func repliedThread(t *testing.T, c *cache.Cache) {
	th := serverThread("k9", api.ActionP2P)
	th.LastOutboundAt, th.LastInboundAt = at(1), at(2)
	apply(t, c, change(t, 5, api.KindThread, "k9", th),
		change(t, 6, api.KindMessage, "in1", api.Message{ID: "in1", ThreadID: "k9", Direction: api.DirInbound, Body: "Sure", CreatedAt: *at(2)}))
}

func TestReadArchiveReplyEffects(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	repliedThread(t, c)
	counts := func() map[inbox.Filter]int {
		m, err := c.Counts(ctx, "c1")
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := counts(); m[inbox.Unread] != 1 || m[inbox.NeedsAttention] != 1 || m[inbox.All] != 1 {
		t.Fatalf("before: %v", m)
	}
	if err := c.MarkRead(ctx, "k9", *at(3)); err != nil {
		t.Fatal(err)
	}
	if err := c.MarkRead(ctx, "k9", *at(4)); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.PendingCount(ctx); n != 1 {
		t.Fatalf("reading a read thread queued again: %d", n)
	}
	// A pull that still has the server's unread thread keeps the local read.
	th := serverThread("k9", api.ActionP2P)
	th.LastOutboundAt, th.LastInboundAt = at(1), at(2)
	apply(t, c, change(t, 7, api.KindThread, "k9", th))
	if m := counts(); m[inbox.Unread] != 0 {
		t.Fatalf("pull undid the pending read: %v", m)
	}
	if err := c.Reply(ctx, "k9", "out2", "Thanks!", "r1", *at(5)); err != nil {
		t.Fatal(err)
	}
	// Answered, but still no report: needs attention stays.
	if m := counts(); m[inbox.NeedsAttention] != 1 {
		t.Fatalf("after reply: %v", m)
	}
	apply(t, c, change(t, 8, api.KindReport, "rep1", api.Report{ID: "rep1", ThreadID: "k9", Values: map[string]string{"notes": "ok"}, SubmittedAt: *at(6)}))
	if m := counts(); m[inbox.NeedsAttention] != 0 {
		t.Fatalf("after report: %v", m)
	}
	if err := c.Archive(ctx, "k9", true, *at(7)); err != nil {
		t.Fatal(err)
	}
	if m := counts(); m[inbox.All] != 0 || m[inbox.Archive] != 1 {
		t.Fatalf("after archive: %v", m)
	}
	d, _ := c.Thread(ctx, "k9")
	if len(d.Messages) != 2 || d.Messages[1].Body != "Thanks!" || !d.Messages[1].Pending || len(d.Reports) != 1 || !d.Thread.Archived {
		t.Fatalf("thread %+v", d)
	}
	rows, _ := c.Threads(ctx, cache.ThreadQuery{Filter: inbox.Archive})
	if len(rows) != 1 || rows[0].LastMessage != "Thanks!" || !rows[0].LastFromUs {
		t.Fatalf("archive list (the last word is our reply) %+v", rows)
	}
}

func TestMarkRejected(t *testing.T) {
	cases := []struct {
		name  string
		code  string
		setup func(t *testing.T, c *cache.Cache)
		check func(t *testing.T, c *cache.Cache)
	}{
		{"send refused for quiet hours returns the contact", api.RejectQuietHours,
			func(t *testing.T, c *cache.Cache) {
				if err := c.SendInitial(context.Background(), "a1", "k1", "m1", "Hi", t0); err != nil {
					t.Fatal(err)
				}
			},
			func(t *testing.T, c *cache.Cache) {
				if _, err := c.Thread(context.Background(), "k1"); !errors.Is(err, cache.ErrNotFound) {
					t.Fatalf("optimistic thread kept: %v", err)
				}
				q, _ := c.Assignments(context.Background(), "a1")
				if len(q) != 2 || q[0].ContactID != "k1" {
					t.Fatalf("contact not back first in the queue: %+v", q)
				}
			}},
		{"send refused for opt-out drops the contact", api.RejectOptedOut,
			func(t *testing.T, c *cache.Cache) {
				if err := c.SendInitial(context.Background(), "a1", "k1", "m1", "Hi", t0); err != nil {
					t.Fatal(err)
				}
			},
			func(t *testing.T, c *cache.Cache) {
				if _, err := c.Thread(context.Background(), "k1"); !errors.Is(err, cache.ErrNotFound) {
					t.Fatalf("optimistic thread kept: %v", err)
				}
				if q, _ := c.Assignments(context.Background(), "a1"); len(q) != 1 {
					t.Fatalf("opted-out contact back in the queue: %+v", q)
				}
				rows, _ := c.Outbox(context.Background())
				if len(rows) != 1 || rows[0].ContactName != "Ada Lovelace" {
					t.Fatalf("outbox %+v", rows)
				}
			}},
		{"reply refused shows the error", api.RejectFreeText,
			func(t *testing.T, c *cache.Cache) {
				repliedThread(t, c)
				if err := c.Reply(context.Background(), "k9", "out1", "my own words", "", *at(3)); err != nil {
					t.Fatal(err)
				}
			},
			func(t *testing.T, c *cache.Cache) {
				d, _ := c.Thread(context.Background(), "k9")
				last := d.Messages[len(d.Messages)-1]
				if last.Pending || last.Error != "the reason" || last.Status != api.StatusFailed {
					t.Fatalf("refused reply %+v", last)
				}
				// A refused reply is no answer: the thread still needs attention.
				if !d.NeedsAttention {
					t.Fatal("refused reply cleared needs attention")
				}
			}},
		{"read refused makes the thread unread again", api.RejectInvalid,
			func(t *testing.T, c *cache.Cache) {
				repliedThread(t, c)
				if err := c.MarkRead(context.Background(), "k9", *at(3)); err != nil {
					t.Fatal(err)
				}
			},
			func(t *testing.T, c *cache.Cache) {
				if d, _ := c.Thread(context.Background(), "k9"); !d.Unread {
					t.Fatal("still read")
				}
			}},
		{"archive refused brings the thread back", api.RejectInvalid,
			func(t *testing.T, c *cache.Cache) {
				repliedThread(t, c)
				if err := c.Archive(context.Background(), "k9", true, *at(3)); err != nil {
					t.Fatal(err)
				}
			},
			func(t *testing.T, c *cache.Cache) {
				if d, _ := c.Thread(context.Background(), "k9"); d.Thread.Archived {
					t.Fatal("still archived")
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			c := open(t)
			seed(t, c)
			tc.setup(t, c)
			ms := pendingIDs(t, c)
			if len(ms) != 1 {
				t.Fatalf("outbox %+v", ms)
			}
			if err := c.MarkRejected(ctx, ms[0].ID, tc.code, "the reason"); err != nil {
				t.Fatal(err)
			}
			if n, _ := c.PendingCount(ctx); n != 0 {
				t.Fatalf("rejected mutation still pending")
			}
			rows, _ := c.Outbox(ctx)
			if len(rows) != 1 || !rows[0].Rejected || rows[0].Code != tc.code || rows[0].Reason != "the reason" {
				t.Fatalf("outbox rows %+v", rows)
			}
			tc.check(t, c)
			if err := c.DismissRejected(ctx, ms[0].ID, ""); err != nil {
				t.Fatal(err)
			}
			if rows, _ := c.Outbox(ctx); len(rows) != 0 {
				t.Fatalf("dismissed row kept: %+v", rows)
			}
		})
	}
}

func TestOutboxOrderAndAttempts(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	repliedThread(t, c)
	for i, body := range []string{"one", "two", "three"} {
		if err := c.Reply(ctx, "k9", body, body, "", t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	ms, _ := c.PendingMutations(ctx, 2)
	if len(ms) != 2 || ms[0].Body != "one" || ms[1].Body != "two" {
		t.Fatalf("first page %+v", ms)
	}
	if err := c.MarkAttempt(ctx, []string{ms[0].ID}, "connection refused"); err != nil {
		t.Fatal(err)
	}
	rows, _ := c.Outbox(ctx)
	if rows[0].Attempts != 1 || rows[0].LastError != "connection refused" || rows[0].ContactName != "Contact k9" {
		t.Fatalf("rows %+v", rows[0])
	}
}

// A settings change the server accepted is the stored settings from then on,
// before any pull brings it back, unless a page already brought the
// server's settings as of that change or later (another desktop's newer
// change must not be overwritten by this one's older).
func TestAppliedSettingsStay(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		page     int64 // version of a page with the server's settings (off) applied before the answer; 0 for none
		stored   int64 // the version the server stored this change at
		wantOn   bool
		whatWent string
	}{
		{"no page meanwhile", 0, 5, true, "the change shows until the next pull brings it"},
		{"an older page meanwhile", 3, 5, true, "the page predates the change"},
		{"a newer page meanwhile", 7, 5, false, "another desktop turned it off after this change; the page said so"},
		{"the page that carried this change", 5, 5, true, "the page is the server's word on it"},
		{"an older server that sends no version", 0, 0, false, "the stored settings stay until the next pull"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := open(t)
			if err := c.SetAutoArchive(ctx, true, time.Now()); err != nil {
				t.Fatal(err)
			}
			muts, err := c.PendingMutations(ctx, 10)
			if err != nil || len(muts) != 1 || muts[0].Type != api.MutSettings {
				t.Fatalf("outbox %+v %v", muts, err)
			}
			if tc.page > 0 {
				apply(t, c, change(t, tc.page, api.KindSettings, "me", api.Settings{AutoArchive: tc.page == tc.stored}))
			}
			if err := c.MarkApplied(ctx, []api.MutationResult{{ID: muts[0].ID, Status: api.ResultApplied, Version: tc.stored}}); err != nil {
				t.Fatal(err)
			}
			if n, _ := c.PendingCount(ctx); n != 0 {
				t.Fatalf("%d still pending", n)
			}
			if s, err := c.LocalSettings(ctx); err != nil || s.AutoArchive != tc.wantOn {
				t.Fatalf("settings %+v %v; want on=%v: %s", s, err, tc.wantOn, tc.whatWent)
			}
		})
	}
}
