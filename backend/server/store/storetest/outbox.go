package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var outboxTests = []test{
	{"outbox/queued, sending, sent: the dispatcher's life cycle", testOutboxLifeCycle},
	{"outbox/dispatchers racing never claim a text twice", testOutboxClaimRace},
	{"outbox/a batch of provider answers recorded at once", testOutboxStatuses},
	{"outbox/a text inserted sending is claimed", testOutboxInsertedSending},
	{"outbox/a refused batch of answers in a group is its fn's to see", testOutboxStatusesInAGroup},
	{"outbox/a claim in a group: its texts before the group returns, its feed rows in place", testClaimInAGroup},
	{"outbox/this server's sending texts, page by page", testOutboxOwnSending},
	{"outbox/this server's own texts with the same words are not another's", testOutboxSameWordsOwn},
	{"outbox/an opt-out cancels the queued texts of many threads at once", testOutboxCancelQueued},
	{"outbox/texts handed to a provider since a time, oldest first", testOutboxHandedSince},
	{"outbox/the providers servers served the database with, each from its first start", testProvidersServed},
	{"outbox/how far the inbound catch-up listed, forward only, and which listed texts are stored", testInboundListed},
}

// testOutboxStatuses: SetMessageStatuses writes each answer as
// SetMessageStatus would, refuses a provider id another message holds and
// a message that does not exist.
func testOutboxStatuses(t *testing.T, st store.Store) {
	w := newWorld(t, st, "sts", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	ids := queue(t, st, th, w.Volunteer.ID, 4)
	claim(t, st, ids...)
	sent := at(2 * time.Hour)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetMessageStatuses(ctx, []store.MessageStatus{
			{ID: ids[0], Status: statusSent, ProviderID: "SMb0", SentAt: &sent},
			{ID: ids[1], Status: "failed", Error: "error 21211: Invalid 'To' Phone Number"},
			{ID: ids[2], Status: statusQueued},
		})
	})
	want := map[string]store.Message{
		ids[0]: {Status: statusSent, ProviderID: "SMb0", SentAt: &sent},
		ids[1]: {Status: "failed", Error: "error 21211: Invalid 'To' Phone Number"},
		ids[2]: {Status: statusQueued},
		ids[3]: {Status: statusSending},
	}
	for id, w := range want {
		m := get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) { return tx.MessageByID(ctx, id) })
		if m.Status != w.Status || m.ProviderID != w.ProviderID || m.Error != w.Error || (m.SentAt == nil) != (w.SentAt == nil) ||
			(m.SentAt != nil && !m.SentAt.Equal(*w.SentAt)) {
			t.Fatalf("message %s = %+v, want status %q provider id %q error %q sent %v", id, m, w.Status, w.ProviderID, w.Error, w.SentAt)
		}
	}
	// A later answer without provider id or time keeps both.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetMessageStatuses(ctx, []store.MessageStatus{{ID: ids[0], Status: "delivered"}})
	})
	m := get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) { return tx.MessageByID(ctx, ids[0]) })
	if m.Status != "delivered" || m.ProviderID != "SMb0" || m.SentAt == nil || !m.SentAt.Equal(sent) {
		t.Fatalf("after a later answer = %+v", m)
	}
	for name, rows := range map[string][]store.MessageStatus{
		"a taken provider id": {{ID: ids[3], Status: statusSent, ProviderID: "SMb0", SentAt: &sent}},
		"a missing message":   {{ID: "no-such-text", Status: statusSent}},
		"a message twice": {{ID: ids[3], Status: statusSent, ProviderID: "SMb7", SentAt: &sent},
			{ID: ids[3], Status: "failed", Error: "error 30003"}},
	} {
		err := st.Update(context.Background(), func(tx store.Tx) error { return tx.SetMessageStatuses(context.Background(), rows) })
		wantErr := store.ErrDuplicate
		if name != "a taken provider id" {
			wantErr = store.ErrNotFound
		}
		if !errors.Is(err, wantErr) {
			t.Fatalf("SetMessageStatuses with %s: %v, want %v", name, err, wantErr)
		}
	}
	if m := get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) { return tx.MessageByID(ctx, ids[3]) }); m.Status != statusSending || m.ProviderID != "" {
		t.Fatalf("refused answer changed the message: %+v", m)
	}
	// A taken provider id among good answers, or one provider id for two
	// texts, refuses the batch (a unique violation: SQLite undoes the
	// statement, PostgreSQL would abort the transaction) and the
	// transaction goes on: the caller then records them one by one.
	for name, rows := range map[string][]store.MessageStatus{
		"a taken provider id among good answers": {
			{ID: ids[2], Status: statusSent, ProviderID: "SMb2", SentAt: &sent},
			{ID: ids[3], Status: statusSent, ProviderID: "SMb0", SentAt: &sent}},
		"one provider id for two texts": {
			{ID: ids[2], Status: statusSent, ProviderID: "SMb9", SentAt: &sent},
			{ID: ids[3], Status: statusSent, ProviderID: "SMb9", SentAt: &sent}},
	} {
		var after store.Message
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			if err := tx.SetMessageStatuses(ctx, rows); !errors.Is(err, store.ErrDuplicate) {
				return fmt.Errorf("SetMessageStatuses with %s: %v, want %v", name, err, store.ErrDuplicate)
			}
			var err error
			after, err = tx.MessageByID(ctx, ids[3])
			return err
		})
		if after.Status != statusSending || after.ProviderID != "" {
			t.Fatalf("%s: the refused batch changed %s: %+v", name, ids[3], after)
		}
		for _, id := range ids[2:] {
			if m := get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) { return tx.MessageByID(ctx, id) }); m.ProviderID != "" {
				t.Fatalf("%s: the refused batch changed %s: %+v", name, id, m)
			}
		}
	}
}

// testOutboxInsertedSending: a text inserted sending (its send handed it
// straight to this server's dispatcher) is not queued, counts as pending,
// and is among the texts a restart recovers.
func testOutboxInsertedSending(t *testing.T, st store.Store) {
	w := newWorld(t, st, "ins", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.CreateMessage(ctx, store.Message{ID: "handed", ThreadID: th.ID, Direction: dirOut, Body: "hi",
			Status: statusSending, SenderID: w.Volunteer.ID, CreatedAt: at(time.Hour)})
	})
	if q := pending(t, st, statusQueued); len(q) != 0 {
		t.Fatalf("queued = %v, want none", outgoingIDs(q))
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountPending(ctx) }); n != 1 {
		t.Fatalf("CountPending = %d, want 1", n)
	}
	if s := pending(t, st, statusSending); len(s) != 1 || s[0].ID != "handed" {
		t.Fatalf("sending = %v, want [handed]", outgoingIDs(s))
	}
}

// queue stores n queued texts on thread th, one microsecond apart, in
// reverse id order so that time, not id, orders them.
func queue(t *testing.T, st store.Store, th store.Thread, sender string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for i := range n {
			ids[i] = fmt.Sprintf("q%04d-%s", n-i, th.ID)
			if err := tx.CreateMessage(ctx, store.Message{ID: ids[i], ThreadID: th.ID, Direction: dirOut, Body: fmt.Sprint("text ", i),
				Status: statusQueued, SenderID: sender, CreatedAt: at(time.Hour + time.Duration(i)*time.Microsecond)}); err != nil {
				return err
			}
		}
		return nil
	})
	return ids
}

// claimQueued is the dispatcher's claim in a transaction of its own, which
// answers at once.
func claimQueued(ctx context.Context, tx store.Tx, n int) ([]store.Outgoing, error) {
	var list []store.Outgoing
	called := false
	err := tx.ClaimQueued(ctx, n, "message", t0, func(l []store.Outgoing) { list, called = l, true })
	if err == nil && !called {
		err = errors.New("ClaimQueued returned without calling got")
	}
	return list, err
}

// claim claims the queued texts ids, which must be the oldest.
func claim(t *testing.T, st store.Store, ids ...string) {
	t.Helper()
	var got []store.Outgoing
	update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
		got, err = claimQueued(ctx, tx, len(ids))
		return err
	})
	if fmt.Sprint(outgoingIDs(got)) != fmt.Sprint(ids) {
		t.Fatalf("claimed %v, want %v", outgoingIDs(got), ids)
	}
}

func pending(t *testing.T, st store.Store, status string) []store.Outgoing {
	t.Helper()
	return pendingN(t, st, status, 100)
}

func pendingN(t *testing.T, st store.Store, status string, limit int) []store.Outgoing {
	t.Helper()
	// A write transaction, as a restart's recovery asks: PostgreSQL adopts
	// the sending texts of servers that are gone.
	var out []store.Outgoing
	if err := st.Update(context.Background(), func(tx store.Tx) error {
		var err error
		out, err = tx.PendingMessages(context.Background(), status, limit)
		return err
	}); err != nil {
		t.Fatalf("pending %s: %v", status, err)
	}
	return out
}

func testOutboxLifeCycle(t *testing.T, st store.Store) {
	w := newWorld(t, st, "out", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	ids := queue(t, st, th, w.Volunteer.ID, 3)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		// An inbound text is never the dispatcher's.
		return tx.CreateMessage(ctx, store.Message{ID: "in", ThreadID: th.ID, Direction: dirIn, Body: "hi", Status: statusRecv,
			ProviderID: "SMin", CreatedAt: t0})
	})
	q := pending(t, st, statusQueued)
	if len(q) != 3 || q[0].ID != ids[0] || q[2].ID != ids[2] {
		t.Fatalf("queued = %v, want %v oldest first", outgoingIDs(q), ids)
	}
	o := q[0]
	if o.From != w.Number || o.To != th.ContactPhone || o.OwnerID != w.Volunteer.ID || o.OrganizationID != w.Org.ID ||
		o.ThreadID != th.ID || o.Body != "text 0" || o.Status != statusQueued || o.SenderID != w.Volunteer.ID || !o.CreatedAt.Equal(at(time.Hour)) {
		t.Fatalf("outgoing = %+v", o)
	}
	if got := pendingN(t, st, statusQueued, 2); len(got) != 2 {
		t.Fatalf("limit 2 gave %d", len(got))
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountPending(ctx) }); n != 3 {
		t.Fatalf("CountPending = %d, want 3", n)
	}
	// Claim: sending is recorded before the provider call, the oldest
	// text first, and the claim says so.
	var claimed []store.Outgoing
	update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
		claimed, err = claimQueued(ctx, tx, 1)
		return err
	})
	if len(claimed) != 1 || claimed[0].ID != ids[0] || claimed[0].Status != statusSending || claimed[0].To != th.ContactPhone ||
		claimed[0].From != w.Number || claimed[0].OwnerID != w.Volunteer.ID || claimed[0].Body != "text 0" {
		t.Fatalf("claimed %+v, want %s, sending", claimed, ids[0])
	}
	if q := pending(t, st, statusQueued); len(q) != 2 {
		t.Fatalf("queued after a claim = %v", outgoingIDs(q))
	}
	if s := pending(t, st, statusSending); len(s) != 1 || s[0].ID != ids[0] {
		t.Fatalf("sending = %v, want [%s]", outgoingIDs(s), ids[0])
	}
	if rows := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.FeedRow, error) {
		return tx.FeedAfter(ctx, w.Volunteer.ID, 0, 100)
	}); len(rows) == 0 || rows[len(rows)-1].Kind != "message" || rows[len(rows)-1].EntityID != ids[0] {
		t.Fatalf("feed after the claim = %+v, want a message row for %s last", rows, ids[0])
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountPending(ctx) }); n != 3 {
		t.Fatalf("CountPending with one sending = %d, want 3", n)
	}
	sent := at(2 * time.Hour)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetMessageStatus(ctx, ids[0], statusSent, "SMout0", "", &sent)
	})
	m := get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) { return tx.MessageByID(ctx, ids[0]) })
	if m.Status != statusSent || m.ProviderID != "SMout0" || m.SentAt == nil || !m.SentAt.Equal(sent) || m.Error != "" {
		t.Fatalf("sent message = %+v", m)
	}
	// A status callback without provider id or time keeps both.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetMessageStatus(ctx, ids[0], "delivered", "", "", nil)
	})
	m = get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) { return tx.MessageByID(ctx, ids[0]) })
	if m.Status != "delivered" || m.ProviderID != "SMout0" || m.SentAt == nil || !m.SentAt.Equal(sent) {
		t.Fatalf("after the delivery callback = %+v", m)
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) {
		return tx.MessageByProviderID(ctx, "SMout0")
	}); got.ID != ids[0] {
		t.Fatalf("MessageByProviderID of a sent text = %+v", got)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetMessageStatus(ctx, ids[1], "failed", "", "21610: unsubscribed recipient", nil)
	})
	m = get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) { return tx.MessageByID(ctx, ids[1]) })
	if m.Status != "failed" || m.Error != "21610: unsubscribed recipient" || m.ProviderID != "" || m.SentAt != nil {
		t.Fatalf("failed message = %+v", m)
	}
	if q := pending(t, st, statusQueued); len(q) != 1 || q[0].ID != ids[2] {
		t.Fatalf("queued at the end = %v, want [%s]", outgoingIDs(q), ids[2])
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountPending(ctx) }); n != 1 {
		t.Fatalf("CountPending at the end = %d, want 1", n)
	}
	// Statuses other than queued and sending are not a queue.
	if got := pending(t, st, statusSent); len(got) != 0 {
		t.Fatalf("PendingMessages(sent) = %v, want none", outgoingIDs(got))
	}
}

// testOutboxClaimRace is several dispatchers (one per server on a shared
// database) claiming queued texts the way the dispatcher does. Each text
// must be claimed by exactly one of them.
func testOutboxClaimRace(t *testing.T, st store.Store) {
	const dispatchers, texts = 4, 120
	w := newWorld(t, st, "claim", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	queue(t, st, th, w.Volunteer.ID, texts)
	ctx := ctxT(t)
	var mu sync.Mutex
	claimedBy := map[string]int{}
	var twice []string
	var wg sync.WaitGroup
	for d := range dispatchers {
		wg.Go(func() {
			for {
				var claimed []string
				err := st.Update(ctx, func(tx store.Tx) error {
					claimed = claimed[:0]
					list, err := claimQueued(ctx, tx, 7)
					for _, o := range list {
						claimed = append(claimed, o.ID)
					}
					return err
				})
				if err != nil {
					t.Errorf("dispatcher %d: %v", d, err)
					return
				}
				if len(claimed) == 0 {
					return
				}
				mu.Lock()
				for _, id := range claimed {
					if prev, ok := claimedBy[id]; ok {
						twice = append(twice, fmt.Sprintf("%s by %d and %d", id, prev, d))
					}
					claimedBy[id] = d
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(twice) > 0 {
		t.Fatalf("texts claimed twice (sent twice): %v", twice)
	}
	if len(claimedBy) != texts {
		t.Fatalf("%d texts claimed, want %d", len(claimedBy), texts)
	}
	if s := pending(t, st, statusSending); len(s) != 100 { // PendingMessages' limit in pending()
		t.Fatalf("sending = %d, want the limit of 100", len(s))
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountPending(ctx) }); n != texts {
		t.Fatalf("CountPending = %d, want %d", n, texts)
	}
	if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.MessageByID(ctx, "none"); return err }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing message: %v", err)
	}
}

func outgoingIDs(os []store.Outgoing) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.ID
	}
	return out
}
