package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testOptedOutThreads: a campaign's opted-out threads are listed with
// their number's opt-out, newest marked first, a page at a time from where
// the last ended, and counted; a thread opted in, or of another campaign,
// is not.
func testOptedOutThreads(t *testing.T, st store.Store) {
	w := newWorld(t, st, "oot-", 5)
	other := newWorld(t, st, "oox-", 1)
	var ths []store.Thread
	for i := range 5 {
		ths = append(ths, w.thread(t, st, i, w.Volunteer.ID))
	}
	oth := other.thread(t, st, 0, other.Volunteer.ID)
	optOut := func(th store.Thread, source string, d time.Duration) {
		t.Helper()
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			if err := tx.AddOptOut(ctx, store.OptOut{OrganizationID: th.OrganizationID, Phone: th.ContactPhone, Reason: "r " + source,
				Source: source, CreatedAt: at(d)}); err != nil {
				return err
			}
			return tx.SetOptedOut(ctx, []string{th.ID})
		})
	}
	// Four opted out, one at a time; the fourth's opt-out later lifted.
	optOut(ths[0], store.OptOutReported, time.Hour)
	optOut(ths[1], store.OptOutContact, 3*time.Hour)
	optOut(ths[2], store.OptOutImported, 2*time.Hour)
	optOut(ths[3], store.OptOutBlocked, 4*time.Hour)
	optOut(oth, store.OptOutContact, 5*time.Hour)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.LiftOptOut(ctx, store.OptOutLift{ID: "oot-lift", OrganizationID: w.Org.ID, Phone: ths[3].ContactPhone,
			LiftedBy: w.Admin.ID, LiftedAt: at(5 * time.Hour)}); err != nil {
			return err
		}
		th := ths[3]
		th.OptedOut = false
		return tx.UpdateThread(ctx, th)
	})

	// The contact who asked was blocked too: the list says so.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		th := ths[1]
		th.OptedOut, th.Blocked = true, true
		return tx.UpdateThread(ctx, th)
	})

	page := func(after store.OptedOutCursor, limit int) []store.OptedOutThread {
		t.Helper()
		return get(t, st, func(ctx context.Context, tx store.Tx) ([]store.OptedOutThread, error) {
			return tx.OptedOutThreads(ctx, w.Campaign.ID, after, limit)
		})
	}
	first := page(store.OptedOutCursor{}, 2)
	if len(first) != 2 || first[0].ThreadID != ths[1].ID || first[1].ThreadID != ths[2].ID {
		t.Fatalf("first page %+v, want threads %s then %s (newest opt-out first)", first, ths[1].ID, ths[2].ID)
	}
	if o := first[0].OptOut; o.Source != store.OptOutContact || o.Reason != "r contact" || o.Phone != ths[1].ContactPhone ||
		!o.CreatedAt.Equal(at(3*time.Hour)) || first[0].ContactName != ths[1].ContactName {
		t.Errorf("first row %+v, want the contact's opt-out of %s at %v", first[0], ths[1].ContactPhone, at(3*time.Hour))
	}
	if !first[0].Blocked || first[1].Blocked {
		t.Errorf("blocked: %v, %v, want only the first row's conversation blocked", first[0].Blocked, first[1].Blocked)
	}
	last := first[1]
	rest := page(store.OptedOutCursor{At: last.At, ThreadID: last.ThreadID}, 2)
	if len(rest) != 1 || rest[0].ThreadID != ths[0].ID || rest[0].OptOut.Source != store.OptOutReported {
		t.Fatalf("next page %+v, want thread %s (the report's) alone", rest, ths[0].ID)
	}
	n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) {
		return tx.CountOptedOutThreads(ctx, w.Campaign.ID)
	})
	if n != 3 {
		t.Errorf("%d opted-out threads counted, want 3", n)
	}
}
