package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

func epochOf(t *testing.T, st store.Store) uint64 {
	t.Helper()
	var e uint64
	if err := st.View(t.Context(), func(tx store.Tx) error {
		e = tx.(interface{ LeaseEpoch() uint64 }).LeaseEpoch()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestInstanceLockCutEndsTheLease: the database cuts a running server's
// lock connection (a fail-over, an administrator). Its lease's epoch ends
// within a few seconds, which is what stops its workers calling the
// provider for the texts claimed under it; it takes a new key and lease;
// another server takes the old key's texts over only once that key has
// been free for the grace, never at once, as it would a server's that
// died this instant.
func TestInstanceLockCutEndsTheLease(t *testing.T) {
	url := pgtest.MigratedURL(t)
	a, b := pgtest.OpenURL(t, url), pgtest.OpenURL(t, url)
	const grace = 2 * time.Second
	b.SetAdoptGrace(grace)
	id := seedText(t, a)
	if err := a.Update(t.Context(), func(tx store.Tx) error {
		return tx.SetMessageStatus(t.Context(), id, "sending", "", "", nil)
	}); err != nil {
		t.Fatal(err)
	}
	e1 := epochOf(t, a)
	held, over := a.Lease(e1)
	if !held || e1 == 0 {
		t.Fatalf("server A's lease of epoch %d held = %v, want a held lease", e1, held)
	}
	if got := orphaned(t, b); len(got) != 0 {
		t.Fatalf("server B took over a text of live server A: %+v", got)
	}

	pgtest.CutLocks(t, url)
	select {
	case <-over.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("server A's lease did not end after its lock connection was cut")
	}
	if held, _ := a.Lease(e1); held {
		t.Fatal("server A's ended lease still holds")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		h, err := a.HoldsInstanceLock(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if held, _ := a.Lease(0); h && held {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server A did not take a new instance lock")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if e2 := epochOf(t, a); e2 <= e1 {
		t.Fatalf("server A's epoch after the cut = %d, want after %d", e2, e1)
	}
	if got := ownSending(t, a); len(got) != 0 {
		t.Fatalf("server A lists as its own a text of its ended lease: %+v", got)
	}

	// The old key is free from the cut on; B's first look only notes it.
	freeFrom := time.Now()
	if got := orphaned(t, b); len(got) != 0 {
		t.Fatalf("server B took over the text of A's ended lease at once: %+v", got)
	}
	var adopted []store.Outgoing
	for deadline := time.Now().Add(10 * time.Second); len(adopted) == 0 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		adopted = orphaned(t, b)
	}
	if len(adopted) != 1 || adopted[0].ID != id {
		t.Fatalf("server B adopted %+v, want text %s", adopted, id)
	}
	if waited := time.Since(freeFrom); waited < grace {
		t.Fatalf("server B took the text over %v after it first saw its key free, want %v at least", waited, grace)
	}
	if got := orphaned(t, a); len(got) != 0 {
		t.Fatalf("server A took over the text B had already: %+v", got)
	}
}

// TestCloseGivesUpTexts: a server that stops cleanly gives up its texts
// still sending (its dispatcher has stopped), and another takes them over
// at once, without the grace a dead server's texts wait.
func TestCloseGivesUpTexts(t *testing.T) {
	url := pgtest.MigratedURL(t)
	a, b := pgtest.OpenURL(t, url), pgtest.OpenURL(t, url)
	id := seedText(t, a)
	if err := a.Update(t.Context(), func(tx store.Tx) error {
		return tx.SetMessageStatus(t.Context(), id, "sending", "", "", nil)
	}); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if held, _ := a.Lease(0); held {
		t.Fatal("a closed server's lease holds")
	}
	if got := orphaned(t, b); len(got) != 1 || got[0].ID != id {
		t.Fatalf("server B adopted %+v right after A closed, want text %s", got, id)
	}
}

var _ interface {
	Lease(uint64) (bool, context.Context)
} = (*postgres.Store)(nil)

// TestAnswersUnderAnEndedClaimAreSkipped: a provider answer recorded with
// the lease it was claimed under is written while the text is still
// sending under that lease's key, and skipped, without an error, once
// another server has taken the text over; an answer without a lease is
// written as it comes.
func TestAnswersUnderAnEndedClaimAreSkipped(t *testing.T) {
	url := pgtest.MigratedURL(t)
	a := pgtest.OpenURL(t, url)
	id := seedText(t, a)
	var claimed []store.Outgoing
	if err := a.Update(t.Context(), func(tx store.Tx) error {
		return tx.ClaimQueued(t.Context(), 10, "message", t0, func(l []store.Outgoing) { claimed = l })
	}); err != nil {
		t.Fatal(err)
	}
	if len(claimed) != 1 || claimed[0].Lease == 0 || claimed[0].Lease != epochOf(t, a) {
		t.Fatalf("claimed %+v, want the text under epoch %d", claimed, epochOf(t, a))
	}
	lease := claimed[0].Lease
	record := func(st store.MessageStatus) {
		t.Helper()
		if err := a.Update(t.Context(), func(tx store.Tx) error {
			return tx.SetMessageStatuses(t.Context(), []store.MessageStatus{st})
		}); err != nil {
			t.Fatalf("record %+v: %v", st, err)
		}
	}
	status := func() store.Message {
		t.Helper()
		var m store.Message
		if err := a.View(t.Context(), func(tx store.Tx) (err error) {
			m, err = tx.MessageByID(t.Context(), id)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return m
	}
	// Another server took it over (its key on the row).
	if err := execSQL(t, url, `UPDATE messages SET claimed_by = 4242 WHERE id = 'm'`); err != nil {
		t.Fatal(err)
	}
	record(store.MessageStatus{ID: id, Status: "failed", Error: "busy", Lease: lease})
	if m := status(); m.Status != "sending" || m.Error != "" {
		t.Fatalf("an answer under an ended claim wrote %+v", m)
	}
	// Ours again: written.
	if err := execSQL(t, url, `UPDATE messages SET claimed_by = NULL WHERE id = 'm'`); err != nil {
		t.Fatal(err)
	}
	if err := a.Update(t.Context(), func(tx store.Tx) error {
		return tx.SetMessageStatus(t.Context(), id, "sending", "", "", nil) // claimed under a's key
	}); err != nil {
		t.Fatal(err)
	}
	record(store.MessageStatus{ID: id, Status: "sent", ProviderID: "SMlease", SentAt: &t0, Lease: lease})
	if m := status(); m.Status != "sent" || m.ProviderID != "SMlease" {
		t.Fatalf("an answer under the claim's lease = %+v, want sent", m)
	}
	// Without a lease, as a status callback writes: whatever the row holds.
	record(store.MessageStatus{ID: id, Status: "delivered"})
	if m := status(); m.Status != "delivered" {
		t.Fatalf("an answer without a lease = %+v, want delivered", m)
	}
	// A missing text is still an error, lease or not.
	err := a.Update(t.Context(), func(tx store.Tx) error {
		return tx.SetMessageStatuses(t.Context(), []store.MessageStatus{{ID: "nope", Status: "sent", Lease: lease}})
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an answer for a missing text: %v, want not found", err)
	}
}

// TestStaleSessionOfAnEndedKeyIsEnded: after a cut, a session that still
// holds the ended key (the database kept it: a network cut, not the
// database's own) is ended once the server has its new key, so that the
// old key's texts can be taken over.
func TestStaleSessionOfAnEndedKeyIsEnded(t *testing.T) {
	url := pgtest.MigratedURL(t)
	a := pgtest.OpenURL(t, url)
	ctx := t.Context()
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	var key int64
	if err := admin.QueryRow(ctx, `SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objsubid = 1
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&key); err != nil {
		t.Fatal(err)
	}
	pgtest.CutLocks(t, url)
	// The stale session: the old key held again by another connection.
	stale, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer stale.Close(context.Background())
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var got bool
		if err := stale.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cut session still holds the key")
		}
	}
	for deadline := time.Now().Add(15 * time.Second); stale.Ping(ctx) == nil; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the session holding the ended key was not ended")
		}
	}
	if held, _ := a.Lease(0); !held {
		t.Fatal("server A holds no lease after ending the stale session")
	}
}
