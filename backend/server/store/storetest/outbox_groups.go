package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// The dispatcher's writes in a group commit (store.Store.UpdateEach),
// where an engine may send them with the commit (PostgreSQL).

// testClaimInAGroup: the dispatcher's claim in a group commit gives its
// texts to got by the time UpdateEach returns (PostgreSQL sends the claim
// with the commit), writes a feed row of the kind asked for each, oldest
// first, between the rows of the fns before and after it, and a fn after
// it that fails undoes only its own writes.
func testClaimInAGroup(t *testing.T, st store.Store) {
	w := newWorld(t, st, "cig", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	ids := queue(t, st, th, w.Volunteer.ID, 3)
	feedRow := func(id string) func(tx store.Tx) error {
		return func(tx store.Tx) error {
			return tx.AppendFeeds(context.Background(), at(2*time.Hour), store.FeedRow{UserID: w.Volunteer.ID, Kind: "thread", EntityID: id})
		}
	}
	var claimed []store.Outgoing
	calls := 0
	claimFn := func(tx store.Tx) error {
		return tx.ClaimQueued(context.Background(), 2, "message", at(2*time.Hour), func(l []store.Outgoing) { claimed, calls = l, calls+1 })
	}
	failing := func(tx store.Tx) error {
		if err := feedRow("undone")(tx); err != nil {
			return err
		}
		return errors.New("this fn fails")
	}
	errs, err := st.UpdateEach(ctxT(t), []func(store.Tx) error{feedRow("before"), claimFn, failing, feedRow("after")})
	if err != nil || errs[0] != nil || errs[1] != nil || errs[2] == nil || errs[3] != nil {
		t.Fatalf("UpdateEach = %v, %v; want only the third fn to fail", errs, err)
	}
	if calls == 0 || fmt.Sprint(outgoingIDs(claimed)) != fmt.Sprint(ids[:2]) {
		t.Fatalf("got was last given %v (%d calls), want the two oldest %v", outgoingIDs(claimed), calls, ids[:2])
	}
	for _, o := range claimed {
		if o.Status != statusSending || o.OwnerID != w.Volunteer.ID || o.To != th.ContactPhone {
			t.Fatalf("claimed %+v, want sending, owned by %s, to %s", o, w.Volunteer.ID, th.ContactPhone)
		}
	}
	if s := pending(t, st, statusSending); fmt.Sprint(outgoingIDs(s)) != fmt.Sprint(ids[:2]) {
		t.Fatalf("sending = %v, want %v", outgoingIDs(s), ids[:2])
	}
	rows := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.FeedRow, error) {
		return tx.FeedAfter(ctx, w.Volunteer.ID, 0, 100)
	})
	var got []string
	for _, r := range rows {
		got = append(got, r.Kind+" "+r.EntityID)
	}
	want := []string{"thread before", "message " + ids[0], "message " + ids[1], "thread after"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("feed = %q, want %q", got, want)
	}
}

// testOutboxStatusesInAGroup: the dispatcher records its answers in a
// group commit, and when the batch is refused (a provider id another text
// holds) it records them one by one. The refusal must reach that fn, even
// where an engine holds the batch to send it later (PostgreSQL), and the
// group's other writes commit.
func testOutboxStatusesInAGroup(t *testing.T, st store.Store) {
	w := newWorld(t, st, "stg", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	ids := queue(t, st, th, w.Volunteer.ID, 2)
	claim(t, st, ids...)
	sent := at(2 * time.Hour)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetMessageStatuses(ctx, []store.MessageStatus{{ID: ids[0], Status: statusSent, ProviderID: "SMg0", SentAt: &sent}})
	})
	var refused error
	record := func(tx store.Tx) error {
		ctx := context.Background()
		refused = tx.SetMessageStatuses(ctx, []store.MessageStatus{{ID: ids[1], Status: statusSent, ProviderID: "SMg0", SentAt: &sent}})
		if refused == nil {
			return nil
		}
		return tx.SetMessageStatus(ctx, ids[1], statusSent, "", "", &sent)
	}
	other := func(tx store.Tx) error {
		return tx.AppendFeeds(context.Background(), sent, store.FeedRow{UserID: w.Volunteer.ID, Kind: "thread", EntityID: th.ID})
	}
	errs, err := st.UpdateEach(ctxT(t), []func(store.Tx) error{other, record, other})
	if err != nil || errs[0] != nil || errs[1] != nil || errs[2] != nil {
		t.Fatalf("UpdateEach = %v, %v", errs, err)
	}
	if !errors.Is(refused, store.ErrDuplicate) {
		t.Fatalf("the batch with a taken provider id: %v, want ErrDuplicate", refused)
	}
	m := get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) { return tx.MessageByID(ctx, ids[1]) })
	if m.Status != statusSent || m.ProviderID != "" {
		t.Fatalf("%s = %+v, want sent without the taken provider id", ids[1], m)
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) {
		rows, err := tx.FeedAfter(ctx, w.Volunteer.ID, 0, 100)
		n := 0
		for _, r := range rows {
			if r.Kind == "thread" {
				n++
			}
		}
		return n, err
	}); n != 2 {
		t.Fatalf("feed rows of the group's other fns = %d, want 2", n)
	}
}
