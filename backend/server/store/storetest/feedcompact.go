package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testFeedCompaction: SupersededFeed lists exactly a contact's first
// assignment row followed by its first text and the outbound messages'
// rows with a newer row, oldest first, within the limit and for the one
// user (a hand-back's handover row stays, as thread rows do); DeleteFeed
// deletes them, and what it already deleted counts 0.
func testFeedCompaction(t *testing.T, st store.Store) {
	w := newWorld(t, st, "fcp", 4)
	vol, adm := w.Volunteer.ID, w.Admin.ID
	c0, c1, c2, c3 := w.Contacts[0].ID, w.Contacts[1].ID, w.Contacts[2].ID, w.Contacts[3].ID
	for i, owner := range map[int]string{0: vol, 2: vol, 3: adm} {
		w.thread(t, st, i, owner)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, m := range []store.Message{
			{ID: "fcp-m0", ThreadID: c0, Direction: dirOut, Body: "Hi", Status: statusSent, Initial: true, SenderID: vol, CreatedAt: at(time.Minute)},
			{ID: "fcp-m2", ThreadID: c2, Direction: dirOut, Body: "Hi", Status: statusSent, Initial: true, SenderID: vol, CreatedAt: at(time.Minute)},
			{ID: "fcp-m3", ThreadID: c3, Direction: dirOut, Body: "Hi", Status: statusSent, Initial: true, SenderID: adm, CreatedAt: at(time.Minute)},
			{ID: "fcp-in0", ThreadID: c0, Direction: dirIn, Body: "Yo", Status: statusRecv, ProviderID: "SMfcp", CreatedAt: at(2 * time.Minute)},
		} {
			if err := tx.CreateMessage(ctx, m); err != nil {
				return err
			}
		}
		return tx.CreateReport(ctx, store.Report{ID: "fcp-r0", ThreadID: c0, UserID: vol, Values: map[string]string{"vote": "yes"}, SubmittedAt: at(3 * time.Minute)})
	})
	type row struct{ user, kind, id string }
	rows := []row{
		{vol, "assignment", c0}, // 0: first of c0, then its first text: goes
		{vol, "assignment", c1}, // 1: still assigned
		{adm, "assignment", c3}, // 2: the admin's
		{vol, store.FeedFirstText, "fcp-m0"},
		{vol, "message", "fcp-m0"}, // 4: claimed: goes
		{vol, "message", "fcp-m0"}, // 5: sent: goes
		{vol, "assignment", c2},    // 6: released before its first text
		{vol, "assignment", c2},    // 7: given again, then texted: stays
		{vol, store.FeedFirstText, "fcp-m2"},
		{adm, store.FeedFirstText, "fcp-m3"},
		{vol, "thread", c0},
		{vol, "message", "fcp-in0"}, // 11: inbound: stays
		{vol, "message", "fcp-in0"},
		{vol, "report", "fcp-r0"},
		{vol, "report", "fcp-r0"},
		{vol, "message", "fcp-m0"}, // 15: delivered, the newest
		{vol, "handover", c0},      // 16: a hand-back's: stays
		{vol, "thread", c0},
		{vol, "message", "fcp-nope"}, // a message not stored
		{vol, "message", "fcp-nope"},
	}
	seqs := make([]int64, len(rows))
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for i, r := range rows {
			var err error
			if seqs[i], err = tx.AppendFeed(ctx, r.user, r.kind, r.id, at(time.Hour)); err != nil {
				return err
			}
		}
		return nil
	})
	superseded := func(user string, limit int) []int64 {
		return get(t, st, func(ctx context.Context, tx store.Tx) ([]int64, error) { return tx.SupersededFeed(ctx, user, limit) })
	}
	want := []int64{seqs[0], seqs[4], seqs[5]}
	if got := superseded(vol, 100); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("SupersededFeed(volunteer) = %v, want %v (rows 0, 4, 5 of %v)", got, want, seqs)
	}
	if got := superseded(vol, 2); fmt.Sprint(got) != fmt.Sprint(want[:2]) {
		t.Fatalf("SupersededFeed(volunteer, 2) = %v, want %v", got, want[:2])
	}
	if got := superseded(adm, 100); fmt.Sprint(got) != fmt.Sprint([]int64{seqs[2]}) {
		t.Fatalf("SupersededFeed(admin) = %v, want [%d]", got, seqs[2])
	}
	del := func(seqs []int64) int64 {
		var n int64
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			var err error
			n, err = tx.DeleteFeed(ctx, seqs)
			return err
		})
		return n
	}
	if n := del(want); n != 3 {
		t.Fatalf("DeleteFeed(%v) = %d, want 3", want, n)
	}
	if n := del(append(want, 1<<40)); n != 0 {
		t.Fatalf("DeleteFeed of rows already deleted = %d, want 0", n)
	}
	if n := del(nil); n != 0 {
		t.Fatalf("DeleteFeed(nil) = %d, want 0", n)
	}
	if got := superseded(vol, 100); len(got) != 0 {
		t.Fatalf("SupersededFeed(volunteer) after the delete = %v, want none: a deletion makes no other row qualify", got)
	}
	left := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.FeedRow, error) { return tx.FeedAfter(ctx, vol, 0, 100) })
	var gotSeqs, wantSeqs []int64
	for _, r := range left {
		gotSeqs = append(gotSeqs, r.Seq)
	}
	for i, r := range rows {
		if r.user == vol && i != 0 && i != 4 && i != 5 {
			wantSeqs = append(wantSeqs, seqs[i])
		}
	}
	if fmt.Sprint(gotSeqs) != fmt.Sprint(wantSeqs) {
		t.Fatalf("the volunteer's feed after compaction = %v, want %v", gotSeqs, wantSeqs)
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (int64, error) { return tx.LatestSeq(ctx, vol) }); got != seqs[len(seqs)-1] {
		t.Fatalf("LatestSeq(volunteer) = %d, want %d: the newest row is never deleted", got, seqs[len(seqs)-1])
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.FeedRow, error) { return tx.FeedAfter(ctx, adm, 0, 100) }); len(got) != 2 {
		t.Fatalf("the admin's feed = %+v, want both rows: compacting one user's leaves the others'", got)
	}
}
