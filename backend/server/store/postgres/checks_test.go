package postgres_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestRefusedCheckIsNotCommitted: a held statement that checks itself
// (checks.go) rides with the COMMIT; when its check fails, PostgreSQL
// refuses it and the COMMIT behind it does not commit. The caller sees the
// statement's own error, and in a group only its fn is undone.
func TestRefusedCheckIsNotCommitted(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st) // user u, thread k, message m
	noThread := func(tx store.Tx) error {
		if err := feedFn(ctx, "undone")(tx); err != nil {
			return err
		}
		return tx.ThreadActivity(ctx, "no-such-thread", t0, &t0, nil, nil)
	}
	trips := postgres.CountRoundTrips(st)
	err := st.Update(ctx, noThread)
	var pe *pgconn.PgError
	if !errors.Is(err, store.ErrNotFound) || !errors.As(err, &pe) {
		t.Fatalf("activity of a missing thread: %v, want ErrNotFound, refused by PostgreSQL", err)
	}
	if got := trips.Load(); got != 1 {
		t.Errorf("the Update took %d round trips, want 1: the COMMIT rides with the check", got)
	}
	if got := feedOfU(t, st); len(got) != 0 {
		t.Fatalf("feed of u = %v after a refused check: the COMMIT went through", got)
	}

	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{feedFn(ctx, "first"), noThread, feedFn(ctx, "last")})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	if errs[0] != nil || errs[2] != nil || !errors.Is(errs[1], store.ErrNotFound) {
		t.Fatalf("errs = %v, want only the missing thread's fn to fail, with ErrNotFound", errs)
	}
	if got := feedOfU(t, st); fmt.Sprint(got) != "[first last]" {
		t.Fatalf("feed of u = %v, want [first last]", got)
	}
}

// TestDispatcherGroupsRideTogether: the dispatcher's claim is one
// statement that writes its feed rows itself and needs no answer before
// the commit, and a batch of provider answers checks itself, so that a
// group with a claim costs one round trip, as does a group of answers; the
// claim's texts reach its caller before UpdateEach returns, and its feed
// row follows the fn before it and precedes the fn after it.
func TestDispatcherGroupsRideTogether(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st) // queued text m of thread k, owned by u
	var claimed []store.Outgoing
	calls := 0
	claim := claimFn(ctx, &claimed, &calls)
	trips := postgres.CountRoundTrips(st)
	if errs, err := st.UpdateEach(ctx, []func(store.Tx) error{feedFn(ctx, "a"), claim, feedFn(ctx, "b")}); err != nil || errs[1] != nil {
		t.Fatalf("claim in a group: %v %v", err, errs)
	}
	if calls != 1 || len(claimed) != 1 || claimed[0].ID != "m" || claimed[0].Status != "sending" || claimed[0].OwnerID != "u" {
		t.Fatalf("got called %d times, last with %+v, want once with m, sending, of u", calls, claimed)
	}
	if got := trips.Load(); got != 1 {
		t.Errorf("a group with a claim took %d round trips, want 1", got)
	}
	if got := feedOfU(t, st); fmt.Sprint(got) != "[a m b]" {
		t.Errorf("feed of u = %v, want [a m b]: the claim's row in its fn's place", got)
	}

	sent := t0.Add(time.Minute)
	answer := func(tx store.Tx) error {
		if err := tx.SetMessageStatuses(ctx, []store.MessageStatus{{ID: "m", Status: "sent", ProviderID: "SMm", SentAt: &sent}}); err != nil {
			return err
		}
		return tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "message", EntityID: "m"})
	}
	trips = postgres.CountRoundTrips(st)
	if errs, err := st.UpdateEach(ctx, []func(store.Tx) error{answer, feedFn(ctx, "c")}); err != nil || errs[0] != nil {
		t.Fatalf("answers in a group: %v %v", err, errs)
	}
	if got := trips.Load(); got != 1 {
		t.Errorf("a group of answers took %d round trips, want 1", got)
	}
	err := st.View(ctx, func(tx store.Tx) error {
		m, err := tx.MessageByID(ctx, "m")
		if err == nil && (m.Status != "sent" || m.ProviderID != "SMm") {
			err = fmt.Errorf("m is %s with provider id %q, want sent with SMm", m.Status, m.ProviderID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestHandOutRidesWithCommit: a hand-out's assignment is held, checking
// itself, so that a group handing out a batch pays only for its pick's
// read: two round trips in all, the second with COMMIT.
func TestHandOutRidesWithCommit(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st)
	err := st.Update(ctx, func(tx store.Tx) error {
		for i := range 5 {
			if err := tx.CreateContact(ctx, store.Contact{ID: fmt.Sprintf("p%d", i), ActionID: "a",
				Phone: fmt.Sprintf("+1303555010%d", i), CreatedAt: t0.Add(time.Duration(i+1) * time.Second)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []store.Contact
	handOut := func(tx store.Tx) (err error) {
		got, _, err = tx.AssignContacts(ctx, "a", "o", "u", 3, 100, t0, nil, nil)
		if err != nil {
			return err
		}
		rows := make([]store.FeedRow, len(got))
		for i, c := range got {
			rows[i] = store.FeedRow{UserID: "u", Kind: "assignment", EntityID: c.ID}
		}
		return tx.AppendFeeds(ctx, t0, rows...)
	}
	other := func(tx store.Tx) error {
		return tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "thread", EntityID: "k"})
	}
	trips := postgres.CountRoundTrips(st)
	if errs, err := st.UpdateEach(ctx, []func(store.Tx) error{other, handOut}); err != nil || errs[1] != nil {
		t.Fatalf("hand-out in a group: %v %v", err, errs)
	}
	if n := trips.Load(); n != 2 {
		t.Errorf("a group with a hand-out took %d round trips, want 2", n)
	}
	if len(got) != 3 {
		t.Fatalf("handed out %d contacts, want 3", len(got))
	}
	err = st.View(ctx, func(tx store.Tx) error {
		held, err := tx.AssignedUnsent(ctx, "a", "u")
		if err == nil && len(held) != 3 {
			err = fmt.Errorf("u holds %d contacts after the hand-out, want 3", len(held))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRefusalTakenForAnAnswerFailsItsFn: a fn that reads past its own held
// statement's refusal and takes the error for an answer ("not there")
// still fails: PostgreSQL has aborted the transaction, and the group's
// other fns commit without it.
func TestRefusalTakenForAnAnswerFailsItsFn(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st)
	shrugs := func(tx store.Tx) error {
		if err := tx.ThreadActivity(ctx, "no-such-thread", t0, &t0, nil, nil); err != nil {
			return err
		}
		// The read carries the held activity; its refusal reads as "not
		// found", which this fn takes for an answer.
		_, _ = tx.MutationByID(ctx, "unknown")
		return nil
	}
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{feedFn(ctx, "first"), shrugs, feedFn(ctx, "last")})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	if errs[0] != nil || errs[2] != nil || !errors.Is(errs[1], store.ErrNotFound) {
		t.Fatalf("errs = %v, want only the fn whose activity was refused to fail, with ErrNotFound", errs)
	}
	if got := feedOfU(t, st); fmt.Sprint(got) != "[first last]" {
		t.Fatalf("feed of u = %v, want [first last]", got)
	}
}

// TestAnswersOfAMissingTextInAGroup: a batch of answers naming a text that
// does not exist, held in a group, is refused by PostgreSQL; the group runs
// again careful, where the fn is told ErrNotFound, and the others commit.
func TestAnswersOfAMissingTextInAGroup(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st)
	var told error
	answer := func(tx store.Tx) error {
		told = tx.SetMessageStatuses(ctx, []store.MessageStatus{{ID: "m", Status: "sent", ProviderID: "SMm"},
			{ID: "no-such-text", Status: "sent", ProviderID: "SMx"}})
		return told
	}
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{feedFn(ctx, "k"), answer, feedFn(ctx, "k")})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	if errs[0] != nil || errs[2] != nil || !errors.Is(errs[1], store.ErrNotFound) || !errors.Is(told, store.ErrNotFound) {
		t.Fatalf("errs = %v (the fn was told %v), want only the answers' fn to fail, told ErrNotFound", errs, told)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		m, err := tx.MessageByID(ctx, "m")
		if err == nil && (m.Status != "queued" || m.ProviderID != "") {
			err = fmt.Errorf("m is %s with provider id %q after a refused batch, want queued and none", m.Status, m.ProviderID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := feedOfU(t, st); len(got) != 2 {
		t.Fatalf("feed of u = %v, want the other fns' two rows", got)
	}
}

// TestRefusedAssignment: a hand-out's held assignment that would not
// assign every contact it names is refused by PostgreSQL; nothing of its
// transaction is committed, and in a group only its fn fails.
func TestRefusedAssignment(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st) // contact k, unassigned
	bogus := func(tx store.Tx) error {
		if err := feedFn(ctx, "undone")(tx); err != nil {
			return err
		}
		postgres.HoldAssign(tx, "u", []string{"k", "no-such-contact"}, t0)
		return nil
	}
	var pe *pgconn.PgError
	if err := st.Update(ctx, bogus); !errors.Is(err, store.ErrNotFound) || !errors.As(err, &pe) {
		t.Fatalf("an assignment of a missing contact: %v, want ErrNotFound, refused by PostgreSQL", err)
	}
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{feedFn(ctx, "first"), bogus, feedFn(ctx, "last")})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	if errs[0] != nil || errs[2] != nil || !errors.Is(errs[1], store.ErrNotFound) {
		t.Fatalf("errs = %v, want only the refused assignment's fn to fail, with ErrNotFound", errs)
	}
	if got := feedOfU(t, st); fmt.Sprint(got) != "[first last]" {
		t.Fatalf("feed of u = %v, want [first last]", got)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		c, err := tx.ContactByID(ctx, "k")
		if err == nil && c.State != store.ContactUnassigned {
			err = fmt.Errorf("contact k is %s after refused assignments, want unassigned", c.State)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
