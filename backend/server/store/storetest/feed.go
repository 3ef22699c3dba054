package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var feedTests = []test{
	{"feed/order, cursors and limits per user", testFeedOrder},
	{"feed/a reader never skips rows committed while it reads", testFeedConcurrentCursor},
	{"feed/batch reads by ids", testByIDs},
	{"feed/compaction deletes only superseded rows", testFeedCompaction},
	{"feed/a hand-back drops the rows of the threads the user held before", testHandBackFeed},
}

func testFeedOrder(t *testing.T, st store.Store) {
	a, b := addUser(t, st, "fa"), addUser(t, st, "fb")
	if seq := get(t, st, func(ctx context.Context, tx store.Tx) (int64, error) { return tx.LatestSeq(ctx, a.ID) }); seq != 0 {
		t.Fatalf("LatestSeq of an empty feed = %d, want 0", seq)
	}
	var seqs []int64
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for i := range 5 {
			for _, u := range []store.User{a, b} {
				seq, err := tx.AppendFeed(ctx, u.ID, "thread", fmt.Sprintf("%s-%d", u.ID, i), at(time.Duration(i)*time.Second))
				if err != nil {
					return err
				}
				seqs = append(seqs, seq)
			}
		}
		return nil
	})
	for i, seq := range seqs {
		if seq <= 0 || i > 0 && seq <= seqs[i-1] {
			t.Fatalf("AppendFeed seqs %v: want positive and strictly increasing", seqs)
		}
	}
	rows := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.FeedRow, error) { return tx.FeedAfter(ctx, a.ID, 0, 3) })
	if len(rows) != 3 || rows[0].EntityID != "fa-0" || rows[2].EntityID != "fa-2" || rows[0].Seq != seqs[0] || rows[1].Seq != seqs[2] {
		t.Fatalf("first page of a = %+v, want fa-0..fa-2 with their seqs", rows)
	}
	for _, r := range rows {
		if r.UserID != a.ID || r.Kind != "thread" {
			t.Errorf("row %+v: want user %s, kind thread", r, a.ID)
		}
	}
	rest := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.FeedRow, error) {
		return tx.FeedAfter(ctx, a.ID, rows[2].Seq, 100)
	})
	if len(rest) != 2 || rest[0].EntityID != "fa-3" || rest[1].EntityID != "fa-4" {
		t.Fatalf("page after the cursor = %+v, want fa-3, fa-4", rest)
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.FeedRow, error) {
		return tx.FeedAfter(ctx, a.ID, rest[1].Seq, 100)
	}); len(got) != 0 {
		t.Fatalf("page after the last row = %+v, want none", got)
	}
	if seq := get(t, st, func(ctx context.Context, tx store.Tx) (int64, error) { return tx.LatestSeq(ctx, b.ID) }); seq != seqs[len(seqs)-1] {
		t.Fatalf("LatestSeq of b = %d, want %d", seq, seqs[len(seqs)-1])
	}
	if seq := get(t, st, func(ctx context.Context, tx store.Tx) (int64, error) { return tx.LatestSeq(ctx, a.ID) }); seq != seqs[len(seqs)-2] {
		t.Fatalf("LatestSeq of a = %d, want %d", seq, seqs[len(seqs)-2])
	}
	// The whole feed, for a server watching changes made by another process.
	if max := get(t, st, func(ctx context.Context, tx store.Tx) (int64, error) { return tx.MaxFeedSeq(ctx) }); max != seqs[len(seqs)-1] {
		t.Fatalf("MaxFeedSeq = %d, want %d", max, seqs[len(seqs)-1])
	}
	users := get(t, st, func(ctx context.Context, tx store.Tx) ([]string, error) {
		return tx.FeedUsersAfter(ctx, seqs[len(seqs)-2])
	})
	if fmt.Sprint(users) != "[fb]" {
		t.Fatalf("FeedUsersAfter(last of a) = %v, want [fb]", users)
	}
	users = get(t, st, func(ctx context.Context, tx store.Tx) ([]string, error) { return tx.FeedUsersAfter(ctx, 0) })
	slices.Sort(users)
	if fmt.Sprint(users) != "[fa fb]" {
		t.Fatalf("FeedUsersAfter(0) = %v, want [fa fb]", users)
	}
}

// testFeedConcurrentCursor appends from 8 writers while a reader follows
// the feed by cursor, as sync does. Seq must be visible in order: a row
// with a smaller seq committing after the reader passed it would be lost
// to that volunteer for good.
func testFeedConcurrentCursor(t *testing.T, st store.Store) {
	const writers, each = 8, 40
	u := addUser(t, st, "follower")
	ctx := ctxT(t)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := st.Update(ctx, func(tx store.Tx) error {
					_, err := tx.AppendFeed(ctx, u.ID, "message", fmt.Sprintf("w%d-%d", w, i), t0)
					return err
				})
				if err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := map[string]int{}
	var cursor int64
	read := func() int {
		rows := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.FeedRow, error) {
			return tx.FeedAfter(ctx, u.ID, cursor, 50)
		})
		for _, r := range rows {
			if r.Seq <= cursor {
				t.Fatalf("row %d at or before cursor %d", r.Seq, cursor)
			}
			seen[r.EntityID]++
			cursor = r.Seq
		}
		return len(rows)
	}
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		for read() > 0 {
		}
	}
	if len(seen) != writers*each {
		var missing []string
		for w := range writers {
			for i := range each {
				if id := fmt.Sprintf("w%d-%d", w, i); seen[id] == 0 {
					missing = append(missing, id)
				}
			}
		}
		t.Fatalf("the reader saw %d of %d rows; skipped: %v", len(seen), writers*each, missing)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("row %s read %d times", id, n)
		}
	}
}

// testByIDs is how a sync page loads its entities: one read per kind,
// absent ids left out, any number of ids.
func testByIDs(t *testing.T, st store.Store) {
	w := newWorld(t, st, "ids", 3)
	th0, th1 := w.thread(t, st, 0, w.Volunteer.ID), w.thread(t, st, 1, w.Volunteer.ID)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, err := range []error{
			tx.CreateMessage(ctx, store.Message{ID: "m0", ThreadID: th0.ID, Direction: dirOut, Body: "Hi", Status: statusQueued,
				Initial: true, SenderID: w.Volunteer.ID, CreatedAt: at(time.Minute)}),
			tx.CreateMessage(ctx, store.Message{ID: "m1", ThreadID: th1.ID, Direction: dirIn, Body: "Yo", Status: statusRecv,
				ProviderID: "SMin1", CreatedAt: at(2 * time.Minute)}),
			tx.CreateReport(ctx, store.Report{ID: "r0", ThreadID: th0.ID, UserID: w.Volunteer.ID,
				Values: map[string]string{"vote": "yes"}, SubmittedAt: at(3 * time.Minute)}),
			tx.PutInboxState(ctx, store.InboxState{UserID: w.Volunteer.ID, ThreadID: th1.ID, LastReadAt: ptr(at(4 * time.Minute)),
				Archived: true, ArchivedReason: "user"}),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	// 1200 ids, most absent: more than SQLite's default limit of bound
	// parameters, so an engine cannot bind one per id naively.
	many := func(known ...string) []string {
		ids := slices.Clone(known)
		for i := range 1200 {
			ids = append(ids, fmt.Sprintf("absent-%d", i))
		}
		return ids
	}
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		ths, err := tx.ThreadsByIDs(ctx, many(th0.ID, th1.ID))
		if err != nil {
			return err
		}
		if len(ths) != 2 || ths[th0.ID].ContactPhone != th0.ContactPhone || ths[th1.ID].OwnerID != w.Volunteer.ID {
			t.Errorf("ThreadsByIDs = %+v", ths)
		}
		msgs, err := tx.MessagesByIDs(ctx, many("m0", "m1"))
		if err != nil {
			return err
		}
		if len(msgs) != 2 || msgs["m0"].Body != "Hi" || !msgs["m0"].Initial || msgs["m1"].ProviderID != "SMin1" || msgs["m1"].Direction != dirIn {
			t.Errorf("MessagesByIDs = %+v", msgs)
		}
		reps, err := tx.ReportsByIDs(ctx, many("r0"))
		if err != nil {
			return err
		}
		if len(reps) != 1 || reps["r0"].Values["vote"] != "yes" || !reps["r0"].SubmittedAt.Equal(at(3*time.Minute)) {
			t.Errorf("ReportsByIDs = %+v", reps)
		}
		cs, err := tx.ContactsByIDs(ctx, many(w.Contacts[2].ID, w.Contacts[0].ID))
		if err != nil {
			return err
		}
		if len(cs) != 2 || cs[w.Contacts[2].ID].Phone != w.Contacts[2].Phone || cs[w.Contacts[2].ID].Fields["ward"] != "2" {
			t.Errorf("ContactsByIDs = %+v", cs)
		}
		states, err := tx.InboxStates(ctx, w.Volunteer.ID, many(th0.ID, th1.ID))
		if err != nil {
			return err
		}
		s, ok := states[th1.ID]
		if len(states) != 1 || !ok || !s.Archived || s.ArchivedReason != "user" || s.LastReadAt == nil || !s.LastReadAt.Equal(at(4*time.Minute)) {
			t.Errorf("InboxStates = %+v, want only thread 1's stored row", states)
		}
		if other, err := tx.InboxStates(ctx, w.Admin.ID, []string{th1.ID}); err != nil || len(other) != 0 {
			t.Errorf("another user's InboxStates = %+v, %v; want none", other, err)
		}
		for name, n := range map[string]func() (int, error){
			"threads":  func() (int, error) { m, err := tx.ThreadsByIDs(ctx, nil); return len(m), err },
			"messages": func() (int, error) { m, err := tx.MessagesByIDs(ctx, []string{}); return len(m), err },
			"reports":  func() (int, error) { m, err := tx.ReportsByIDs(ctx, nil); return len(m), err },
			"contacts": func() (int, error) { m, err := tx.ContactsByIDs(ctx, nil); return len(m), err },
			"states":   func() (int, error) { m, err := tx.InboxStates(ctx, w.Volunteer.ID, nil); return len(m), err },
		} {
			if got, err := n(); err != nil || got != 0 {
				t.Errorf("%s by no ids = %d, %v", name, got, err)
			}
		}
		return nil
	})
}
