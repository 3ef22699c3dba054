package postgres_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

func messageStatus(t *testing.T, st store.Store, id string) string {
	t.Helper()
	var s string
	if err := st.View(t.Context(), func(tx store.Tx) error {
		m, err := tx.MessageByID(t.Context(), id)
		s = m.Status
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestHeldClaimThenRefusal: a held claim's texts reach got, then a later
// statement of the group is refused; the group runs again careful, the
// claim claims again, and got is given the texts of the claim that
// committed.
func TestHeldClaimThenRefusal(t *testing.T) {
	st := pgtest.Open(t)
	ctx := t.Context()
	seedText(t, st) // queued text m of thread k, owned by u
	var claimed []store.Outgoing
	calls := 0
	claim := claimFn(ctx, &claimed, &calls)
	refused := func(tx store.Tx) error {
		postgres.HoldAssign(tx, "u", []string{"no-such-contact"}, t0)
		return nil
	}
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{claim, refused, feedFn(ctx, "z")})
	if err != nil || errs[0] != nil || !errors.Is(errs[1], store.ErrNotFound) || errs[2] != nil {
		t.Fatalf("UpdateEach = %v, %v; want only the refused assignment's fn to fail", errs, err)
	}
	if calls != 2 || len(claimed) != 1 || claimed[0].ID != "m" {
		t.Fatalf("got called %d times, last with %+v; want twice (once a run), last with m", calls, claimed)
	}
	if s := messageStatus(t, st, "m"); s != "sending" {
		t.Fatalf("m is %s, want sending", s)
	}
	if got := feedOfU(t, st); fmt.Sprint(got) != "[m z]" {
		t.Fatalf("feed of u = %v, want [m z]: the rerun's rows only", got)
	}
}

// TestHeldClaimOfAnUnreadableTime: a held claim's rows are read after what
// rode with it has run, COMMIT perhaps included, so a row the scan cannot
// fully read must not fail it: the text would be claimed and never sent.
// A created_at that does not parse (a hand edit) is left zero.
func TestHeldClaimOfAnUnreadableTime(t *testing.T) {
	for _, last := range []bool{false, true} {
		t.Run(fmt.Sprint("claim with COMMIT ", last), func(t *testing.T) {
			url := pgtest.MigratedURL(t)
			st := pgtest.OpenURL(t, url)
			ctx := t.Context()
			seedText(t, st)
			conn, err := pgx.Connect(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, `UPDATE messages SET created_at = 'not a time' WHERE id = 'm'`); err != nil {
				t.Fatal(err)
			}
			var claimed []store.Outgoing
			claim := claimFn(ctx, &claimed, nil)
			// A fn after the claim that needs an answer sends the claim
			// before COMMIT; otherwise the claim rides with it.
			reader := func(tx store.Tx) error {
				if _, err := tx.MutationByID(ctx, "none"); !errors.Is(err, store.ErrNotFound) {
					return err
				}
				return nil
			}
			fns := []func(store.Tx) error{claim, reader}
			if last {
				fns = []func(store.Tx) error{feedFn(ctx, "a"), claim}
			}
			errs, err := st.UpdateEach(ctx, fns)
			if err != nil || errs[0] != nil || errs[1] != nil {
				t.Fatalf("UpdateEach = %v, %v", errs, err)
			}
			if len(claimed) != 1 || claimed[0].ID != "m" || !claimed[0].CreatedAt.IsZero() {
				t.Fatalf("claimed %+v, want m with a zero time", claimed)
			}
			if _, err := conn.Exec(ctx, `UPDATE messages SET created_at = $1 WHERE id = 'm'`, store.TimeText(t0)); err != nil {
				t.Fatal(err)
			}
			if s := messageStatus(t, st, "m"); s != "sending" {
				t.Fatalf("m is %s, want sending", s)
			}
		})
	}
}
