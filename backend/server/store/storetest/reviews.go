package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testReviewed: an admin marks an abuse report and an opt-in reviewed; each
// campaign's open and reviewed lists and the counts follow, the row is
// kept, a second mark keeps who and when of the first, and open again
// forgets both. An unknown row is ErrNotFound and changes nothing.
func testReviewed(t *testing.T, st store.Store) {
	w := newWorld(t, st, "rv-", 2)
	other := newWorld(t, st, "rv-other-", 1)
	a, b, theirs := w.thread(t, st, 0, w.Volunteer.ID), w.thread(t, st, 1, w.Volunteer.ID), other.thread(t, st, 0, other.Volunteer.ID)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, r := range []store.AbuseReport{
			{ID: "rv-r1", CampaignID: w.Campaign.ID, ThreadID: a.ID, UserID: w.Volunteer.ID, Reason: "spam", CreatedAt: at(time.Hour)},
			{ID: "rv-r2", CampaignID: w.Campaign.ID, ThreadID: b.ID, UserID: w.Volunteer.ID, Reason: "threats", Note: "scary", CreatedAt: at(2 * time.Hour)},
			{ID: "rv-r3", CampaignID: other.Campaign.ID, ThreadID: theirs.ID, UserID: other.Volunteer.ID, Reason: "spam", CreatedAt: at(3 * time.Hour)},
		} {
			if err := tx.AddAbuseReport(ctx, r); err != nil {
				return err
			}
		}
		for _, o := range []store.OptIn{
			{ID: "rv-o1", OrganizationID: w.Org.ID, CampaignID: w.Campaign.ID, Phone: a.ContactPhone, MessageID: "m1", Body: "START", CreatedAt: at(time.Hour)},
			{ID: "rv-o2", OrganizationID: w.Org.ID, CampaignID: w.Campaign.ID, Phone: b.ContactPhone, MessageID: "m2", Body: "unstop", CreatedAt: at(2 * time.Hour)},
			{ID: "rv-o3", OrganizationID: other.Org.ID, CampaignID: other.Campaign.ID, Phone: theirs.ContactPhone, MessageID: "m3", Body: "START", CreatedAt: at(3 * time.Hour)},
		} {
			if err := tx.AddOptIn(ctx, o); err != nil {
				return err
			}
		}
		return nil
	})
	lists := func(campaignID string, which store.MarkFilter) string {
		return get(t, st, func(ctx context.Context, tx store.Tx) (string, error) {
			rs, err := tx.AbuseReports(ctx, campaignID, which, 10)
			if err != nil {
				return "", err
			}
			os, err := tx.OptIns(ctx, campaignID, which, 10)
			var ids []string
			for _, r := range rs {
				ids = append(ids, r.ID)
			}
			for _, o := range os {
				ids = append(ids, o.ID)
			}
			return fmt.Sprint(ids), err
		})
	}
	counts := func(campaignID string) string {
		return get(t, st, func(ctx context.Context, tx store.Tx) (string, error) {
			r, err := tx.CountMarked(ctx, store.AbuseReportMarks, store.MarkDone, campaignID)
			if err != nil {
				return "", err
			}
			o, err := tx.CountMarked(ctx, store.OptInMarks, store.MarkDone, campaignID)
			return fmt.Sprint(r, o), err
		})
	}
	check := func(open, reviewed, n string) {
		t.Helper()
		if got := lists(w.Campaign.ID, store.MarkOpen); got != open {
			t.Errorf("open reports and opt-ins %s, want %s", got, open)
		}
		if got := lists(w.Campaign.ID, store.MarkDone); got != reviewed {
			t.Errorf("reviewed reports and opt-ins %s, want %s", got, reviewed)
		}
		if got := lists(w.Campaign.ID, store.MarkAll); got != "[rv-r2 rv-r1 rv-o2 rv-o1]" {
			t.Errorf("all reports and opt-ins %s, want every one, newest first", got)
		}
		if got := counts(w.Campaign.ID); got != n {
			t.Errorf("reviewed counts %s, want %s", got, n)
		}
		if got, n := lists(other.Campaign.ID, store.MarkOpen), counts(other.Campaign.ID); got != "[rv-r3 rv-o3]" || n != "0 0" {
			t.Errorf("the other campaign's open rows %s and counts %s, want its own, none reviewed", got, n)
		}
	}
	check("[rv-r2 rv-r1 rv-o2 rv-o1]", "[]", "0 0")
	mark := func(m store.Marks, id string, done bool, by string, d time.Duration) {
		t.Helper()
		update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.SetMarked(ctx, m, id, done, by, at(d)) })
	}
	report := func(id string) store.AbuseReport {
		return get(t, st, func(ctx context.Context, tx store.Tx) (store.AbuseReport, error) { return tx.AbuseReportByID(ctx, id) })
	}
	optIn := func(id string) store.OptIn {
		return get(t, st, func(ctx context.Context, tx store.Tx) (store.OptIn, error) { return tx.OptInByID(ctx, id) })
	}
	mark(store.AbuseReportMarks, "rv-r1", true, w.Admin.ID, 4*time.Hour)
	mark(store.OptInMarks, "rv-o2", true, w.Admin.ID, 5*time.Hour)
	check("[rv-r2 rv-o1]", "[rv-r1 rv-o2]", "1 1")
	if r := report("rv-r1"); r.Reviewed != (store.Marked{By: w.Admin.ID, At: at(4 * time.Hour)}) || r.Reason != "spam" || r.ThreadID != a.ID {
		t.Errorf("reviewed report %+v, want reviewed by %s at %v", r, w.Admin.ID, at(4*time.Hour))
	}
	if r := report("rv-r2"); !r.Reviewed.At.IsZero() || r.Note != "scary" || !r.CreatedAt.Equal(at(2*time.Hour)) {
		t.Errorf("open report %+v", r)
	}
	if o := optIn("rv-o2"); o.Reviewed != (store.Marked{By: w.Admin.ID, At: at(5 * time.Hour)}) || o.Body != "unstop" || o.OptedOut || !o.Lifted.At.IsZero() {
		t.Errorf("reviewed opt-in %+v, want reviewed by %s at %v, its number not opted out", o, w.Admin.ID, at(5*time.Hour))
	}
	// Again, by another later: the first mark stands. Open again: gone.
	mark(store.OptInMarks, "rv-o2", true, w.Volunteer.ID, 6*time.Hour)
	if o := optIn("rv-o2"); o.Reviewed != (store.Marked{By: w.Admin.ID, At: at(5 * time.Hour)}) {
		t.Errorf("marked twice: %+v, want the first mark kept", o.Reviewed)
	}
	mark(store.AbuseReportMarks, "rv-r1", false, w.Admin.ID, 7*time.Hour)
	mark(store.OptInMarks, "rv-o2", false, w.Admin.ID, 7*time.Hour)
	if r, o := report("rv-r1"), optIn("rv-o2"); !r.Reviewed.At.IsZero() || r.Reviewed.By != "" || !o.Reviewed.At.IsZero() {
		t.Errorf("marked open: %+v, %+v", r.Reviewed, o.Reviewed)
	}
	check("[rv-r2 rv-r1 rv-o2 rv-o1]", "[]", "0 0")

	ctx := ctxT(t)
	for _, fn := range []func(tx store.Tx) error{
		func(tx store.Tx) error {
			return tx.SetMarked(ctx, store.AbuseReportMarks, "rv-none", true, w.Admin.ID, at(8*time.Hour))
		},
		func(tx store.Tx) error {
			return tx.SetMarked(ctx, store.OptInMarks, "rv-r2", true, w.Admin.ID, at(8*time.Hour))
		},
		func(tx store.Tx) error { _, err := tx.AbuseReportByID(ctx, "rv-o1"); return err },
		func(tx store.Tx) error { _, err := tx.OptInByID(ctx, "rv-none"); return err },
	} {
		if err := st.Update(ctx, fn); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an unknown row: %v, want ErrNotFound", err)
		}
	}
	check("[rv-r2 rv-r1 rv-o2 rv-o1]", "[]", "0 0")
}

// testLiftOptOut: a number's opt-out renewed while opted out keeps its
// first reason and time and says when; lifting it on an opt-in removes it
// (IsOptedOut, the opt-in reads it) and keeps it with who and when, read
// with the opt-in; a number not opted out is ErrNotFound and changes
// nothing; opting out again after a lift starts a new opt-out.
func testLiftOptOut(t *testing.T, st store.Store) {
	w := newWorld(t, st, "lo-", 2)
	phone, other := w.Contacts[0].Phone, w.Contacts[1].Phone
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, o := range []store.OptOut{
			{OrganizationID: w.Org.ID, Phone: phone, Reason: "keyword: STOP", SourceMessageID: "m1", CreatedAt: at(time.Hour)},
			{OrganizationID: w.Org.ID, Phone: phone, Reason: "reported by volunteer", CreatedAt: at(3 * time.Hour)},
		} {
			if err := tx.AddOptOut(ctx, o); err != nil {
				return err
			}
		}
		return tx.AddOptIn(ctx, store.OptIn{ID: "lo-o1", OrganizationID: w.Org.ID, CampaignID: w.Campaign.ID, Phone: phone,
			MessageID: "m2", Body: "START", CreatedAt: at(2 * time.Hour)})
	})
	o := get(t, st, func(ctx context.Context, tx store.Tx) (store.OptOut, error) { return tx.OptOutOf(ctx, w.Org.ID, phone) })
	if o.Reason != "keyword: STOP" || o.SourceMessageID != "m1" || !o.CreatedAt.Equal(at(time.Hour)) || !o.RenewedAt.Equal(at(3*time.Hour)) {
		t.Errorf("renewed opt-out %+v, want the first kept, renewed at %v", o, at(3*time.Hour))
	}
	ctx := ctxT(t)
	if _, err := get2(st, func(tx store.Tx) (store.OptOut, error) { return tx.OptOutOf(ctx, w.Org.ID, other) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OptOutOf a number not opted out: %v, want ErrNotFound", err)
	}
	optIn := func() store.OptIn {
		return get(t, st, func(ctx context.Context, tx store.Tx) (store.OptIn, error) { return tx.OptInByID(ctx, "lo-o1") })
	}
	if in := optIn(); !in.OptedOut || !in.Lifted.At.IsZero() {
		t.Errorf("opt-in before the lift %+v, want its number opted out, not lifted", in)
	}
	lift := store.OptOutLift{ID: "lo-l1", OrganizationID: w.Org.ID, Phone: phone, OptInID: "lo-o1", LiftedBy: w.Admin.ID, LiftedAt: at(4 * time.Hour)}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.LiftOptOut(ctx, lift) })
	if in := optIn(); in.OptedOut || in.Lifted != (store.Marked{By: w.Admin.ID, At: at(4 * time.Hour)}) {
		t.Errorf("opt-in after the lift %+v, want its number opted in, lifted by %s", in, w.Admin.ID)
	}
	if out := get(t, st, func(ctx context.Context, tx store.Tx) (bool, error) { return tx.IsOptedOut(ctx, w.Org.ID, phone) }); out {
		t.Error("the number is still opted out after the lift")
	}
	// No opt-out to lift: ErrNotFound, nothing written.
	for _, l := range []store.OptOutLift{
		{ID: "lo-l2", OrganizationID: w.Org.ID, Phone: phone, OptInID: "lo-o1", LiftedBy: w.Admin.ID, LiftedAt: at(5 * time.Hour)},
		{ID: "lo-l3", OrganizationID: w.Org.ID, Phone: other, OptInID: "lo-o1", LiftedBy: w.Admin.ID, LiftedAt: at(5 * time.Hour)},
	} {
		if err := st.Update(ctx, func(tx store.Tx) error { return tx.LiftOptOut(ctx, l) }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("lift of %s, not opted out: %v, want ErrNotFound", l.Phone, err)
		}
	}
	if in := optIn(); in.Lifted != (store.Marked{By: w.Admin.ID, At: at(4 * time.Hour)}) {
		t.Errorf("opt-in after the refused lifts %+v, want the first lift kept", in)
	}
	// A new STOP is a new opt-out, with no renewal.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.AddOptOut(ctx, store.OptOut{OrganizationID: w.Org.ID, Phone: phone, Reason: "keyword: stop", CreatedAt: at(6 * time.Hour)})
	})
	o = get(t, st, func(ctx context.Context, tx store.Tx) (store.OptOut, error) { return tx.OptOutOf(ctx, w.Org.ID, phone) })
	if o.Reason != "keyword: stop" || !o.CreatedAt.Equal(at(6*time.Hour)) || !o.RenewedAt.IsZero() {
		t.Errorf("opt-out after the lift %+v, want a new one at %v", o, at(6*time.Hour))
	}
	if in := optIn(); !in.OptedOut {
		t.Errorf("opt-in %+v, want its number opted out again", in)
	}
}

// get2 runs fn in a read and returns its error too (get fails the test).
func get2[T any](st store.Store, fn func(tx store.Tx) (T, error)) (T, error) {
	var out T
	err := st.View(context.Background(), func(tx store.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}
