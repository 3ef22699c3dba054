package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testOptOutSource: an opt-out keeps where it came from. A report's stays
// a report's while only reports renew it, and takes the source of any
// other renewal (the contact's STOP, a block, an import), with its reason
// (what the admins read says why it stands), which later reports do not
// undo; an import's is the import's. Lifting one with no
// opt-in (an admin undoing a report's) removes it and keeps it, listed
// with no START and with its import's file. An import naming a number a report opted out claims it.
func testOptOutSource(t *testing.T, st store.Store) {
	w := newWorld(t, st, "os-", 4)
	p := func(i int) string { return w.Contacts[i].Phone }
	add := func(i int, source string, d time.Duration) {
		t.Helper()
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			return tx.AddOptOut(ctx, store.OptOut{OrganizationID: w.Org.ID, Phone: p(i), Reason: "r " + source, Source: source, CreatedAt: at(d)})
		})
	}
	want := func(i int, s, why string) {
		t.Helper()
		o := get(t, st, func(ctx context.Context, tx store.Tx) (store.OptOut, error) { return tx.OptOutOf(ctx, w.Org.ID, p(i)) })
		reason := "r " + s
		if s == store.OptOutImported {
			reason = "imported"
		}
		if o.Source != s || o.Reason != reason {
			t.Errorf("%s: source %q, reason %q; want %q, %q", why, o.Source, o.Reason, s, reason)
		}
	}
	// The import's file, kept apart from its reason (ImportedFrom).
	file := func(i int, f, why string) {
		t.Helper()
		o := get(t, st, func(ctx context.Context, tx store.Tx) (store.OptOut, error) { return tx.OptOutOf(ctx, w.Org.ID, p(i)) })
		if o.ImportedFrom != f {
			t.Errorf("%s: imported from %q, want %q", why, o.ImportedFrom, f)
		}
	}
	add(0, store.OptOutReported, time.Hour)
	want(0, store.OptOutReported, "a report's")
	add(0, store.OptOutReported, 2*time.Hour)
	want(0, store.OptOutReported, "a report's renewed by a report")
	add(0, store.OptOutContact, 3*time.Hour)
	want(0, store.OptOutContact, "a report's renewed by the contact's STOP")
	add(0, store.OptOutReported, 4*time.Hour)
	want(0, store.OptOutContact, "the contact's renewed by a report")

	add(1, store.OptOutBlocked, time.Hour)
	add(1, store.OptOutReported, 2*time.Hour)
	want(1, store.OptOutBlocked, "a block's renewed by a report")

	add(2, store.OptOutReported, time.Hour)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.AddOptOuts(ctx, w.Org.ID, []store.PhoneAt{{Phone: p(2), At: at(2 * time.Hour)}, {Phone: p(3), At: at(2 * time.Hour)}}, "imported", "old.csv")
	})
	want(2, store.OptOutImported, "a report's renewed by an import")
	want(3, store.OptOutImported, "an import's")
	file(2, "old.csv", "a report's renewed by an import")

	// Undone with no opt-in: gone, kept, listed without a START.
	add(1, store.OptOutReported, 5*time.Hour) // renews; still the block's
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.LiftOptOut(ctx, store.OptOutLift{ID: "os-l1", OrganizationID: w.Org.ID, Phone: p(2), LiftedBy: w.Admin.ID, LiftedAt: at(6 * time.Hour)})
	})
	ctx := ctxT(t)
	if _, err := get2(st, func(tx store.Tx) (store.OptOut, error) { return tx.OptOutOf(ctx, w.Org.ID, p(2)) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OptOutOf a number undone: %v, want ErrNotFound", err)
	}
	lifts := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.LiftedOptOut, error) {
		var out []store.LiftedOptOut
		err := tx.EachLiftedOptOut(ctx, w.Org.ID, func(l store.LiftedOptOut) error { out = append(out, l); return nil })
		return out, err
	})
	if len(lifts) != 1 || lifts[0].Phone != p(2) || lifts[0].LiftedByName != w.Admin.Name || !lifts[0].LiftedAt.Equal(at(6*time.Hour)) ||
		lifts[0].StartBody != "" || !lifts[0].StartAt.IsZero() || lifts[0].Reason != "imported" || lifts[0].ImportedFrom != "old.csv" {
		t.Errorf("lifts %+v, want %s undone by %s with no START", lifts, p(2), w.Admin.Name)
	}
	// A new opt-out after the undo starts anew, with its own source.
	add(2, store.OptOutReported, 7*time.Hour)
	want(2, store.OptOutReported, "a report's after an undo")

	// An import's list claims a report's, unrenewed; no other, and opts
	// nothing out.
	const notOut = "+19995550100"
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.ClaimReportedOptOuts(ctx, w.Org.ID, []string{p(0), p(1), p(2), notOut}, "imported", "new.csv")
	})
	want(0, store.OptOutContact, "the contact's named by an import")
	want(1, store.OptOutBlocked, "a block's named by an import")
	want(2, store.OptOutImported, "a report's named by an import")
	file(0, "", "the contact's named by an import")
	file(2, "new.csv", "a report's named by an import")
	if o, _ := get2(st, func(tx store.Tx) (store.OptOut, error) { return tx.OptOutOf(ctx, w.Org.ID, p(2)) }); !o.RenewedAt.IsZero() {
		t.Errorf("a report's named by an import: renewed %v, want not renewed", o.RenewedAt)
	}
	if _, err := get2(st, func(tx store.Tx) (store.OptOut, error) { return tx.OptOutOf(ctx, w.Org.ID, notOut) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a number not opted out named by ClaimReportedOptOuts: %v, want still not opted out", err)
	}
}
