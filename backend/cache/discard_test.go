package cache_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// TestDiscardFailing: only a change the server has failed, pushed alone,
// cache.FaultsBeforeDiscard times over cache.FaultSpan may be discarded;
// network failures do not count. Discarding rolls it back as a refusal does (a first text taken
// back and its contact queued again; a reply kept in its thread, failed
// with the reason) and leaves nothing in the outbox; a refused change, a
// change with fewer faults or one not there is refused with everything
// left as it was.
func TestDiscardFailing(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	if err := c.SendInitial(ctx, "a1", "k1", "m1", "Hi Ada", t0); err != nil {
		t.Fatal(err)
	}
	repliedThread(t, c)
	if err := c.Reply(ctx, "k9", "out1", "See you there", "", *at(3)); err != nil {
		t.Fatal(err)
	}
	ms := pendingIDs(t, c)
	if len(ms) != 2 {
		t.Fatalf("outbox %+v", ms)
	}
	send, reply := ms[0].ID, ms[1].ID
	const why = "You discarded this change"
	first := t0.Add(time.Hour)
	later := first.Add(cache.FaultSpan)
	refused := func(id string, want error) {
		t.Helper()
		if err := c.DiscardFailing(ctx, id, why, later); !errors.Is(err, want) {
			t.Fatalf("discard %s: %v; want %v", id, err, want)
		}
		if n, _ := c.PendingCount(ctx); n != 2 {
			t.Fatalf("a refused discard changed the outbox: %d pending", n)
		}
		if q, _ := c.Assignments(ctx, "a1"); len(q) != 1 {
			t.Fatalf("a refused discard changed the queue: %+v", q)
		}
	}
	refused(send, cache.ErrNotFailing)
	for range 5 { // offline: not the server's fault
		if err := c.MarkAttempt(ctx, []string{send, reply}, "cannot reach the campaign server"); err != nil {
			t.Fatal(err)
		}
	}
	refused(send, cache.ErrNotFailing)
	// Faults within seconds (a volunteer at work asks for a round with
	// every send) are not enough, nor is time with too few of them.
	for i := range cache.FaultsBeforeDiscard {
		if i == cache.FaultsBeforeDiscard-1 {
			refused(send, cache.ErrNotFailing)
		}
		for _, id := range []string{send, reply} {
			may, err := c.MarkFault(ctx, id, first.Add(time.Duration(i)*time.Second))
			if err != nil || may {
				t.Fatalf("fault %d of %s: may discard %v, %v; want not yet", i+1, id, may, err)
			}
		}
	}
	if err := c.DiscardFailing(ctx, send, why, later.Add(-time.Second)); !errors.Is(err, cache.ErrNotFailing) {
		t.Fatalf("discard a second before the span is over: %v; want ErrNotFailing", err)
	}
	refused("no-such-change", cache.ErrNotFound)
	rows, err := c.Outbox(ctx)
	if err != nil || len(rows) != 2 || rows[0].Faults != cache.FaultsBeforeDiscard || rows[0].Attempts != 5 || !rows[0].FirstFaultAt.Equal(first) {
		t.Fatalf("outbox %+v %v; want each with %d faults from %s, 5 attempts", rows, err, cache.FaultsBeforeDiscard, first)
	}
	if cache.Discardable(rows[0], later.Add(-time.Second)) || !cache.Discardable(rows[0], later) {
		t.Fatalf("Discardable: want from %s on", later)
	}
	if may, err := c.MarkFault(ctx, reply, later); err != nil || !may {
		t.Fatalf("a fault past the span: may discard %v, %v; want yes", may, err)
	}

	if err := c.DiscardFailing(ctx, send, why, later); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Thread(ctx, "k1"); !errors.Is(err, cache.ErrNotFound) {
		t.Fatalf("the discarded first text's thread is still shown: %v", err)
	}
	if q, _ := c.Assignments(ctx, "a1"); len(q) != 2 || q[0].ContactID != "k1" {
		t.Fatalf("the contact is not back first in the queue: %+v", q)
	}
	if err := c.DiscardFailing(ctx, reply, why, later); err != nil {
		t.Fatal(err)
	}
	d, err := c.Thread(ctx, "k9")
	if err != nil {
		t.Fatal(err)
	}
	last := d.Messages[len(d.Messages)-1]
	if last.ID != "out1" || last.Pending || last.Status != api.StatusFailed || last.Error != why {
		t.Fatalf("discarded reply %+v; want kept, failed with the reason", last)
	}
	if rows, _ := c.Outbox(ctx); len(rows) != 0 {
		t.Fatalf("outbox after discarding %+v; want empty", rows)
	}
	if err := c.DiscardFailing(ctx, send, why, later); !errors.Is(err, cache.ErrNotFound) {
		t.Fatalf("discard again: %v; want ErrNotFound", err)
	}

	// A refused change is dismissed, not discarded.
	if err := c.Reply(ctx, "k9", "out2", "Again", "", *at(4)); err != nil {
		t.Fatal(err)
	}
	again := pendingIDs(t, c)[0].ID
	for range cache.FaultsBeforeDiscard {
		if _, err := c.MarkFault(ctx, again, first); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.MarkRejected(ctx, again, api.RejectFreeText, "not allowed"); err != nil {
		t.Fatal(err)
	}
	if err := c.DiscardFailing(ctx, again, why, later); !errors.Is(err, cache.ErrNotFailing) {
		t.Fatalf("discard a refused change: %v; want ErrNotFailing", err)
	}
	if rows, _ := c.Outbox(ctx); len(rows) != 1 || !rows[0].Rejected {
		t.Fatalf("outbox %+v; want the refusal kept", rows)
	}
}

// TestDiscardAChangeTheServerSaved: a server can save a change and still
// answer 500 (a fault after its commit). The round's pull then brings the
// server's copy of it (the message or report with the change's own id)
// while the change stays queued and collects faults. Discarding it then
// must not roll back over the server's copy, which no later pull would
// bring again (the cursor is past it): it is settled as applied instead
// (ErrReachedServer), the server's copy shown as it is. A change whose
// server copy has not come yet is discarded, and the server's copy,
// should it come later, wins (the pull's upsert).
func TestDiscardAChangeTheServerSaved(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	repliedThread(t, c)
	if err := c.SendInitial(ctx, "a1", "k1", "m1", "Hi Ada", t0); err != nil {
		t.Fatal(err)
	}
	if err := c.Reply(ctx, "k9", "out1", "See you there", "", *at(3)); err != nil {
		t.Fatal(err)
	}
	if err := c.Report(ctx, "k9", "rep1", map[string]string{"notes": "keen"}, *at(4)); err != nil {
		t.Fatal(err)
	}
	if err := c.Reply(ctx, "k9", "out2", "Not saved yet", "", *at(5)); err != nil {
		t.Fatal(err)
	}
	ms := pendingIDs(t, c)
	if len(ms) != 4 {
		t.Fatalf("outbox %+v", ms)
	}
	first := t0.Add(time.Hour)
	later := first.Add(cache.FaultSpan)
	for _, m := range ms {
		for range cache.FaultsBeforeDiscard {
			if _, err := c.MarkFault(ctx, m.ID, first); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The server saved the first three: a pull brings its copies (the
	// first text's thread and message, its assignment gone; the reply;
	// the report, filed by the volunteer).
	th := serverThread("k1", api.ActionP2P)
	th.LastOutboundAt = &t0
	apply(t, c,
		change(t, 7, api.KindThread, "k1", th),
		change(t, 8, api.KindMessage, "m1", api.Message{ID: "m1", ThreadID: "k1", Direction: api.DirOutbound, Body: "Hi Ada", Status: api.StatusSent, Initial: true, CreatedAt: t0}),
		api.Change{Version: 9, Kind: api.KindAssignment, ID: "k1", Deleted: true},
		change(t, 10, api.KindMessage, "out1", api.Message{ID: "out1", ThreadID: "k9", Direction: api.DirOutbound, Body: "See you there", Status: api.StatusSent, CreatedAt: *at(3)}),
		change(t, 11, api.KindReport, "rep1", api.Report{ID: "rep1", ThreadID: "k9", Values: map[string]string{"notes": "keen"}, SubmittedAt: *at(4), SubmittedBy: "u1", SubmittedByName: "Vera"}),
	)
	for _, m := range ms[:3] {
		if err := c.DiscardFailing(ctx, m.ID, "You discarded this change", later); !errors.Is(err, cache.ErrReachedServer) {
			t.Fatalf("discard %s (%s), which the server saved: %v; want ErrReachedServer", m.ID, m.Type, err)
		}
	}
	if rows, _ := c.Outbox(ctx); len(rows) != 1 || rows[0].Mutation.ID != ms[3].ID {
		t.Fatalf("outbox %+v; want only the change the server has not saved", rows)
	}
	if d, err := c.Thread(ctx, "k1"); err != nil || len(d.Messages) != 1 || d.Messages[0].ID != "m1" || d.Messages[0].Pending || d.Messages[0].Status != api.StatusSent {
		t.Fatalf("the saved first text's thread %+v %v; want its text as the server has it", d, err)
	}
	if q, _ := c.Assignments(ctx, "a1"); len(q) != 1 || q[0].ContactID != "k2" {
		t.Fatalf("queue %+v; want the texted contact kept out of it", q)
	}
	d, err := c.Thread(ctx, "k9")
	if err != nil {
		t.Fatal(err)
	}
	var reply cache.MessageRow
	for _, m := range d.Messages {
		if m.ID == "out1" {
			reply = m
		}
	}
	if reply.Status != api.StatusSent || reply.Error != "" || reply.Pending {
		t.Fatalf("the saved reply %+v; want sent, as the server has it", reply)
	}
	if len(d.Reports) != 1 || d.Reports[0].ID != "rep1" {
		t.Fatalf("reports %+v; want the saved one kept", d.Reports)
	}

	// Not saved as far as this cache knows: discarded, failed in its
	// thread; a server copy coming later wins.
	if err := c.DiscardFailing(ctx, ms[3].ID, "You discarded this change", later); err != nil {
		t.Fatal(err)
	}
	if d, _ := c.Thread(ctx, "k9"); d.Messages[len(d.Messages)-1].Status != api.StatusFailed {
		t.Fatalf("the discarded reply %+v; want failed", d.Messages[len(d.Messages)-1])
	}
	apply(t, c, change(t, 12, api.KindMessage, "out2", api.Message{ID: "out2", ThreadID: "k9", Direction: api.DirOutbound, Body: "Not saved yet", Status: api.StatusSent, CreatedAt: *at(5)}))
	if d, _ := c.Thread(ctx, "k9"); d.Messages[len(d.Messages)-1].Status != api.StatusSent || d.Messages[len(d.Messages)-1].Error != "" {
		t.Fatalf("the discarded reply the server saved after all %+v; want the server's record", d.Messages[len(d.Messages)-1])
	}
	if rows, _ := c.Outbox(ctx); len(rows) != 0 {
		t.Fatalf("outbox %+v; want empty", rows)
	}
}

// TestDiscardABlockOrReassignTheServerSaved: a block and a reassign sync as
// deletes of the volunteer's threads. A pull that deletes threads a
// pending one hid takes them out of its undo, so neither a discard nor a
// refusal brings back a thread the server took away; a change all of whose
// threads went is taken as saved (ErrReachedServer) and settled, and one
// with threads left rolls back only those.
func TestDiscardABlockOrReassignTheServerSaved(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	seed(t, c)
	repliedThread(t, c)
	for i, id := range []string{"k7", "k8"} {
		th := serverThread(id, api.ActionP2P)
		th.LastOutboundAt = at(1)
		apply(t, c, change(t, int64(7+i), api.KindThread, id, th))
	}
	block := api.Mutation{Type: api.MutBlock, ThreadID: "k9", Reason: api.BlockSpam}
	if _, err := c.HideThreads(ctx, block, []string{"k9"}, *at(5)); err != nil {
		t.Fatal(err)
	}
	all := api.Mutation{Type: api.MutReassign, ActionID: "a1", ToUserID: "admin1"}
	if n, err := c.HideThreads(ctx, all, []string{"k7", "k8"}, *at(6)); err != nil || n != 2 {
		t.Fatalf("reassign all: %d hidden, %v", n, err)
	}
	ids := map[string]string{} // type -> outbox id
	for _, m := range pendingIDs(t, c) {
		ids[m.Type] = m.ID
	}
	blk, re := ids[api.MutBlock], ids[api.MutReassign]
	first := t0.Add(time.Hour)
	for _, id := range []string{blk, re} {
		for range cache.FaultsBeforeDiscard {
			if _, err := c.MarkFault(ctx, id, first); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The server saved the block (k9 deleted) and, as far as this pull
	// says, took k7 away (another server's half-done page, an organizer's
	// reassign): k8 is still the volunteer's.
	apply(t, c,
		api.Change{Version: 20, Kind: api.KindThread, ID: "k9", Deleted: true},
		api.Change{Version: 21, Kind: api.KindThread, ID: "k7", Deleted: true})
	later := first.Add(cache.FaultSpan)
	if err := c.DiscardFailing(ctx, blk, "You discarded this change", later); !errors.Is(err, cache.ErrReachedServer) {
		t.Fatalf("discard of the block the server saved: %v; want ErrReachedServer", err)
	}
	if _, err := c.Thread(ctx, "k9"); !errors.Is(err, cache.ErrNotFound) {
		t.Fatalf("the blocked thread after the discard: %v; want it still gone", err)
	}
	if err := c.DiscardFailing(ctx, re, "You discarded this change", later); err != nil {
		t.Fatalf("discard of the reassign with a thread left: %v", err)
	}
	if _, err := c.Thread(ctx, "k7"); !errors.Is(err, cache.ErrNotFound) {
		t.Fatalf("k7, which the server took away: %v; want it not brought back", err)
	}
	if d, err := c.Thread(ctx, "k8"); err != nil || d.Thread.ID != "k8" {
		t.Fatalf("k8 after the discard: %+v %v; want it back", d, err)
	}
	if rows, _ := c.Outbox(ctx); len(rows) != 0 {
		t.Fatalf("outbox %+v; want empty", rows)
	}
	// A later copy of k9 from the server (an admin reassigning it back)
	// shows: nothing pending hides it any more.
	th := serverThread("k9", api.ActionP2P)
	apply(t, c, change(t, 22, api.KindThread, "k9", th))
	if _, err := c.Thread(ctx, "k9"); err != nil {
		t.Fatalf("k9 sent again by the server: %v", err)
	}
}
