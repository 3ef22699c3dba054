package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testNewJoinCode: SetJoinCode gives an active campaign another code; the
// old one finds no active campaign (CampaignByRetiredJoinCode names whose
// it was, for organizers) and stays ever used (generate must never draw
// a code that leaked), members keep their membership, and a stale old
// code, an archived campaign or a code an active campaign holds change
// nothing.
func testNewJoinCode(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	w := newWorld(t, st, "newcode", 0)
	old := w.Campaign.JoinCode
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		_, err := tx.AddMembership(ctx, store.Membership{CampaignID: w.Campaign.ID, UserID: w.Volunteer.ID, Role: store.RoleVolunteer, CreatedAt: t0})
		return err
	})
	other := store.Campaign{ID: "newcode-other", OrganizationID: w.Org.ID, Name: "Other", JoinCode: "271828", Active: true, CreatedAt: t0}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateCampaign(ctx, other) })
	campaignOf := func(code string) (store.Campaign, error) {
		var c store.Campaign
		err := st.View(ctx, func(tx store.Tx) error {
			var err error
			c, err = tx.CampaignByJoinCode(ctx, code)
			return err
		})
		return c, err
	}

	// Refusals change nothing.
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.SetJoinCode(ctx, w.Campaign.ID, old, other.JoinCode, at(time.Hour)) }); !errors.Is(err, store.ErrJoinCodeTaken) {
		t.Fatalf("SetJoinCode to an active campaign's code: %v, want ErrJoinCodeTaken", err)
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.SetJoinCode(ctx, w.Campaign.ID, "999999", "314159", at(time.Hour)) }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("SetJoinCode from a code the campaign does not have: %v, want ErrNotFound", err)
	}
	if c, err := campaignOf(old); err != nil || c.ID != w.Campaign.ID {
		t.Fatalf("after the refusals, code %s finds %+v, %v; want the campaign unchanged", old, c, err)
	}
	used := func(code string) bool {
		return get(t, st, func(ctx context.Context, tx store.Tx) (bool, error) { return tx.JoinCodeEverUsed(ctx, code) })
	}
	if used("314159") {
		t.Fatal("a refused SetJoinCode left its code ever used")
	}

	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.SetJoinCode(ctx, w.Campaign.ID, old, "314159", at(time.Hour))
	})
	if _, err := campaignOf(old); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the old code after SetJoinCode: %v, want ErrNotFound", err)
	}
	if c, err := campaignOf("314159"); err != nil || c.ID != w.Campaign.ID || c.JoinCode != "314159" {
		t.Fatalf("the new code finds %+v, %v; want the campaign with it", c, err)
	}
	if !used(old) || !used("314159") {
		t.Fatalf("JoinCodeEverUsed: old %v, new %v; want both true (a retired code is never drawn again)", used(old), used("314159"))
	}
	if c := get(t, st, func(ctx context.Context, tx store.Tx) (store.Campaign, error) {
		return tx.CampaignByRetiredJoinCode(ctx, old)
	}); c.ID != w.Campaign.ID || c.JoinCode != "314159" {
		t.Fatalf("CampaignByRetiredJoinCode(%s) = %+v; want the campaign, with its new code", old, c)
	}
	if err := st.View(ctx, func(tx store.Tx) error {
		_, err := tx.CampaignByRetiredJoinCode(ctx, "314159")
		return err
	}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("CampaignByRetiredJoinCode of a code never replaced: %v, want ErrNotFound", err)
	}
	if m := get(t, st, func(ctx context.Context, tx store.Tx) (store.Membership, error) {
		return tx.Membership(ctx, w.Campaign.ID, w.Volunteer.ID)
	}); m.Role != store.RoleVolunteer {
		t.Fatalf("the volunteer's membership after the new code: %+v", m)
	}
	// The code read before is stale now; an archived campaign keeps its code.
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.SetJoinCode(ctx, w.Campaign.ID, old, "161803", at(2*time.Hour)) }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("SetJoinCode from the retired code: %v, want ErrNotFound", err)
	}
	archived := other
	archived.Active = false
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.UpdateCampaign(ctx, archived) })
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.SetJoinCode(ctx, other.ID, other.JoinCode, "161803", at(2*time.Hour))
	}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("SetJoinCode of an archived campaign: %v, want ErrNotFound", err)
	}
}
