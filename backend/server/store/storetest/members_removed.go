package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testRemoveMembership: a member taken off a campaign is no member, their
// removal's time is kept (the latest one), their sending number goes
// back to the pool, and removing a non-member changes nothing.
func testRemoveMembership(t *testing.T, st store.Store) {
	w := newWorld(t, st, "rmm", 0)
	ctx := ctxT(t)
	removedAt := func(userID string) (time.Time, error) {
		var at time.Time
		err := st.View(ctx, func(tx store.Tx) (err error) { at, err = tx.RemovedAt(ctx, w.Campaign.ID, userID); return err })
		return at, err
	}
	if _, err := removedAt(w.Volunteer.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("RemovedAt of a member never removed: %v, want ErrNotFound", err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		_, err := tx.AssignSendingNumber(ctx, w.Campaign.ID, w.Volunteer.ID, at(time.Minute))
		return err
	})
	texting := func() int { // how many numbers list counts texting from the campaign's numbers
		n := 0
		for _, num := range get(t, st, func(ctx context.Context, tx store.Tx) ([]store.SendingNumberInfo, error) {
			return tx.ListSendingNumbers(ctx, w.Campaign.ID)
		}) {
			n += num.Volunteers
		}
		return n
	}
	before := texting()
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.RemoveMembership(ctx, w.Campaign.ID, w.Volunteer.ID, at(time.Hour))
	})
	// Their number went back to the pool.
	if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.SendingNumber(ctx, w.Campaign.ID, w.Volunteer.ID); return err }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("sending number after the removal: %v, want ErrNotFound", err)
	}
	if after := texting(); after != before-1 {
		t.Errorf("people texting from the campaign's numbers: %d after the removal, %d before; want one fewer", after, before)
	}
	if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.Membership(ctx, w.Campaign.ID, w.Volunteer.ID); return err }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("membership after the removal: %v, want ErrNotFound", err)
	}
	if got, err := removedAt(w.Volunteer.ID); err != nil || !got.Equal(at(time.Hour)) {
		t.Errorf("RemovedAt = %v, %v; want %v", got, err, at(time.Hour))
	}
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.RemoveMembership(ctx, w.Campaign.ID, w.Volunteer.ID, at(2*time.Hour))
	}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing a removed member: %v, want ErrNotFound", err)
	}
	// Back (an organizer's admin add), then off again: the latest removal.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if _, err := tx.AddMembership(ctx, store.Membership{CampaignID: w.Campaign.ID, UserID: w.Volunteer.ID, Role: store.RoleVolunteer, CreatedAt: at(3 * time.Hour)}); err != nil {
			return err
		}
		return tx.RemoveMembership(ctx, w.Campaign.ID, w.Volunteer.ID, at(4*time.Hour))
	})
	if got, err := removedAt(w.Volunteer.ID); err != nil || !got.Equal(at(4*time.Hour)) {
		t.Errorf("RemovedAt after a second removal = %v, %v; want %v", got, err, at(4*time.Hour))
	}
	if members := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Member, error) { return tx.Members(ctx, w.Campaign.ID) }); len(members) != 1 || members[0].UserID != w.Admin.ID {
		t.Errorf("Members after the removal = %+v, want the admin alone", members)
	}
	if _, err := removedAt(w.Admin.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RemovedAt of the admin: %v, want ErrNotFound", err)
	}
}
