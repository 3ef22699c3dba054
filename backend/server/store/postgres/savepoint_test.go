package postgres_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestSavepointsOnlyForFnsThatSend: in a group, a fn that only holds
// statements (a first text checked ahead) takes no savepoint: if it fails
// it sent nothing to undo, and a held statement that fails runs the group
// again, careful. A fn that sends something takes one with it, and a
// failure after that undoes that fn alone.
func TestSavepointsOnlyForFnsThatSend(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st)
	a := assignContacts(t, st, 2)
	sent := postgres.RecordStatements(st)
	refuses := func(tx store.Tx) error {
		// Holds a feed row, then refuses: the row is never sent.
		if err := tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "thread", EntityID: "refused"}); err != nil {
			return err
		}
		return errors.New("refused")
	}
	readsThenRefuses := func(tx store.Tx) error {
		// A held feed row goes out with the read (after its savepoint),
		// and the refusal must take it back.
		if err := tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "thread", EntityID: "undone"}); err != nil {
			return err
		}
		if _, err := tx.ActionByID(ctx, "a"); err != nil {
			return err
		}
		return errors.New("refused after a read")
	}
	readsAndWrites := func(tx store.Tx) error {
		if _, err := tx.ActionByID(ctx, "a"); err != nil {
			return err
		}
		return tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "thread", EntityID: "kept"})
	}
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{
		firstText(ctx, a, 0), refuses, readsThenRefuses, firstText(ctx, a, 1), readsAndWrites,
	})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	for i, want := range []bool{false, true, true, false, false} {
		if (errs[i] != nil) != want {
			t.Errorf("fn %d: error %v, want an error: %v", i, errs[i], want)
		}
	}
	if got := feedOfU(t, st); fmt.Sprint(got) != "[m0 m1 kept]" {
		t.Errorf("feed of u = %v; want [m0 m1 kept]", got)
	}
	if n := sent.Count(`SAVEPOINT each`); n != 2 {
		t.Errorf("%d savepoints sent, want 2 (the two fns that read)", n)
	}
	if n := sent.Count(`ROLLBACK TO SAVEPOINT each`); n != 1 {
		t.Errorf("%d rollbacks to a savepoint sent, want 1 (the fn that read, then refused)", n)
	}
	if n := sent.Count(`RELEASE SAVEPOINT each`); n != 2 {
		t.Errorf("%d savepoints released, want 2", n)
	}
}

// TestSavepointlessWritesSurviveALaterFnsError: a fn that took no savepoint
// (its statements held) is followed by a fn whose statement PostgreSQL
// refuses; that fn's savepoint goes out after the first fn's held writes,
// in the same batch, so rolling back to it undoes that fn alone.
func TestSavepointlessWritesSurviveALaterFnsError(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st)
	a := assignContacts(t, st, 2)
	refused := func(tx store.Tx) error {
		// Sent at once (not a claimed text's): a body PostgreSQL refuses.
		return tx.CreateMessage(ctx, store.Message{ID: "orphan", ThreadID: "k", Direction: "out", Body: refusedText,
			Status: "queued", SenderID: "u", CreatedAt: t0})
	}
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{firstText(ctx, a, 0), refused, firstText(ctx, a, 1)})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	for i, want := range []bool{false, true, false} {
		if (errs[i] != nil) != want {
			t.Errorf("fn %d: error %v, want an error: %v", i, errs[i], want)
		}
	}
	var pe *pgconn.PgError
	if !errors.As(errs[1], &pe) {
		t.Errorf("fn 1: error %v, want PostgreSQL's", errs[1])
	}
	if got := feedOfU(t, st); fmt.Sprint(got) != "[m0 m1]" {
		t.Errorf("feed of u = %v; want [m0 m1]", got)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		for _, id := range []string{"m0", "m1"} {
			if _, err := tx.MessageByID(ctx, id); err != nil {
				return fmt.Errorf("message %s: %w", id, err)
			}
		}
		if _, err := tx.MessageByID(ctx, "orphan"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("the refused message: %v, want not found", err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}
