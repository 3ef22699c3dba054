package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testRemoveSendingNumber: a number removed from its campaign's pool is
// given to no volunteer from then on (its conversations' last text is
// listed); the volunteers who had it have none
// (and are named, to be given another), the other number keeps its own;
// its conversations keep it and replies still reach them; it is listed as
// removed; removing it again, or a number not ours, is ErrNotFound and
// changes nothing; moving it back into the pool (numbers add) puts it in
// use again.
func testRemoveSendingNumber(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	w := newWorld(t, st, "rmnum", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	second := "+12025559901"
	texted := at(2 * time.Minute)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if _, err := tx.AssignSendingNumber(ctx, w.Campaign.ID, w.Volunteer.ID, t0); err != nil {
			return err
		}
		if err := tx.AddSendingNumber(ctx, w.Campaign.ID, second, at(time.Minute)); err != nil {
			return err
		}
		if n, err := tx.AssignSendingNumber(ctx, w.Campaign.ID, w.Admin.ID, at(time.Minute)); err != nil || n != second {
			return errors.Join(err, errors.New("the admin was not given the second number"))
		}
		return tx.ThreadActivity(ctx, th.ID, texted, nil, &texted, &texted)
	})
	var unassigned []string
	removedAt := at(time.Hour)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		unassigned, err = tx.RemoveSendingNumber(ctx, w.Number, removedAt)
		return err
	})
	if !slices.Equal(unassigned, []string{w.Volunteer.ID}) {
		t.Fatalf("RemoveSendingNumber unassigned %v, want the volunteer who had it", unassigned)
	}
	if _, err := get2(st, func(tx store.Tx) (string, error) {
		return tx.SendingNumber(ctx, w.Campaign.ID, w.Volunteer.ID)
	}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the volunteer's number after the removal: %v, want none", err)
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (string, error) {
		return tx.SendingNumber(ctx, w.Campaign.ID, w.Admin.ID)
	}); n != second {
		t.Fatalf("the other number's volunteer has %q, want %s kept", n, second)
	}
	info := get(t, st, func(ctx context.Context, tx store.Tx) (store.SendingNumberInfo, error) {
		return tx.SendingNumberByPhone(ctx, w.Number)
	})
	if info.CampaignID != w.Campaign.ID || info.RemovedAt == nil || !info.RemovedAt.Equal(removedAt) || info.Volunteers != 0 {
		t.Fatalf("the removed number = %+v, want its campaign, removed at %v, no volunteers", info, removedAt)
	}
	list := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.SendingNumberInfo, error) {
		return tx.ListSendingNumbers(ctx, w.Campaign.ID)
	})
	if len(list) != 2 || list[0].Phone != w.Number || list[0].RemovedAt == nil || list[1].RemovedAt != nil {
		t.Fatalf("the pool lists %+v, want the removed number marked, the other not", list)
	}
	// The volunteer is given the number still in use, however few use it.
	var given string
	update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
		given, err = tx.AssignSendingNumber(ctx, w.Campaign.ID, w.Volunteer.ID, at(2*time.Hour))
		return err
	})
	if given != second {
		t.Fatalf("a volunteer given a number after the removal got %q, want %s", given, second)
	}
	// The listing says when the removed number's conversations last had a
	// text, to tell when it can be given up; a number with none is left out.
	for _, campaignID := range []string{w.Campaign.ID, ""} {
		last := get(t, st, func(ctx context.Context, tx store.Tx) (map[string]time.Time, error) {
			return tx.SendingNumberLastTexts(ctx, campaignID)
		})
		if _, other := last[second]; !last[w.Number].Equal(texted) || other {
			t.Fatalf("SendingNumberLastTexts(%q) = %v, want %s at %v alone", campaignID, last, w.Number, texted)
		}
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) (store.Thread, error) { return tx.ThreadByID(ctx, th.ID) }); got.SendingNumber != w.Number {
		t.Fatalf("the conversation's number became %q, want %s kept", got.SendingNumber, w.Number)
	}
	r := get(t, st, func(ctx context.Context, tx store.Tx) (store.InboundRoute, error) {
		return tx.RouteInbound(ctx, w.Contacts[0].Phone, w.Number, "SMremoved")
	})
	if r.Thread.ID != th.ID {
		t.Fatalf("a reply to the removed number went to thread %q, want %s", r.Thread.ID, th.ID)
	}
	for _, phone := range []string{w.Number, "+10000000000"} {
		err := st.Update(ctx, func(tx store.Tx) error { _, err := tx.RemoveSendingNumber(ctx, phone, at(3*time.Hour)); return err })
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("removing %s again or not ours: %v, want ErrNotFound", phone, err)
		}
	}
	if again := get(t, st, func(ctx context.Context, tx store.Tx) (store.SendingNumberInfo, error) {
		return tx.SendingNumberByPhone(ctx, w.Number)
	}); !again.RemovedAt.Equal(removedAt) {
		t.Fatalf("a refused removal changed the time to %v", again.RemovedAt)
	}
	if _, err := get2(st, func(tx store.Tx) (store.SendingNumberInfo, error) {
		return tx.SendingNumberByPhone(ctx, "+10000000000")
	}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a number not ours: %v, want ErrNotFound", err)
	}
	// Back in the pool: in use again, and given out.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.MoveSendingNumber(ctx, w.Number, w.Campaign.ID)
	})
	if back := get(t, st, func(ctx context.Context, tx store.Tx) (store.SendingNumberInfo, error) {
		return tx.SendingNumberByPhone(ctx, w.Number)
	}); back.RemovedAt != nil {
		t.Fatalf("a number added back is still removed: %+v", back)
	}
	newcomer := store.User{ID: "rmnumnew", Name: "New Volunteer", Email: "rmnumnew@example.org", PasswordHash: "h", CreatedAt: t0}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateUser(ctx, newcomer) })
	update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
		given, err = tx.AssignSendingNumber(ctx, w.Campaign.ID, newcomer.ID, at(4*time.Hour))
		return err
	})
	if given != w.Number {
		t.Fatalf("after adding it back, a newcomer got %q, want %s (used by none)", given, w.Number)
	}
}
