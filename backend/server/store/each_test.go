package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestUpdateEachUndoesOnlyTheFailingFn(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "each.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	org := func(id string) func(Tx) error {
		return func(tx Tx) error { return tx.CreateOrganization(ctx, Organization{ID: id, Name: id, CreatedAt: now}) }
	}
	boom := errors.New("boom")
	errs, err := st.UpdateEach(ctx, []func(Tx) error{
		org("a"),
		func(tx Tx) error {
			if err := org("b")(tx); err != nil {
				return err
			}
			return boom // wrote b, then failed: b must go
		},
		org("a"), // duplicate primary key: its own error
		org("c"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || !errors.Is(errs[1], boom) || errs[2] == nil || errs[3] != nil {
		t.Fatalf("errs = %v", errs)
	}
	var n int
	if err := st.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM organizations WHERE id IN ('a', 'b', 'c')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	var b int
	_ = st.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM organizations WHERE id = 'b'`).Scan(&b)
	if n != 2 || b != 0 {
		t.Fatalf("stored %d of a, c (want 2) and %d of b (want 0)", n, b)
	}
}

// A group of one runs without a savepoint; its failure must still undo
// its writes, and the statements kept prepared between groups must keep
// working in the groups after.
func TestUpdateEachAloneAndAcrossGroups(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "each.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	org := func(id string) func(Tx) error {
		return func(tx Tx) error { return tx.CreateOrganization(ctx, Organization{ID: id, Name: id, CreatedAt: now}) }
	}
	boom := errors.New("boom")
	errs, err := st.UpdateEach(ctx, []func(Tx) error{func(tx Tx) error {
		if err := org("gone")(tx); err != nil {
			return err
		}
		return boom
	}})
	if err != nil || !errors.Is(errs[0], boom) {
		t.Fatalf("errs = %v, err = %v", errs, err)
	}
	for i := range 3 { // the second and third group reuse the statements the first prepared
		id := string(rune('a' + i))
		if errs, err := st.UpdateEach(ctx, []func(Tx) error{org(id)}); err != nil || errs[0] != nil {
			t.Fatalf("group %d: errs = %v, err = %v", i, errs, err)
		}
	}
	if errs, err := st.UpdateEach(ctx, []func(Tx) error{org("a")}); err != nil || errs[0] == nil {
		t.Fatalf("duplicate through a kept statement: errs = %v, err = %v", errs, err)
	}
	var n, gone int
	if err := st.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM organizations WHERE id IN ('a', 'b', 'c')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	_ = st.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM organizations WHERE id = 'gone'`).Scan(&gone)
	if n != 3 || gone != 0 {
		t.Fatalf("stored %d of a, b, c (want 3) and %d of the failed one (want 0)", n, gone)
	}
	if len(st.stmts.m) == 0 {
		t.Fatal("no statement was kept prepared between groups")
	}
}
