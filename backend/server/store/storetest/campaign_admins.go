package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testCampaignAdmins: a hand-over names the campaign's admins (server
// conversations): those whose role there is admin, in the order they
// became one, read whole; never a volunteer, nor another campaign's admin.
func testCampaignAdmins(t *testing.T, st store.Store) {
	w := newWorld(t, st, "cad-", 0)
	other := newWorld(t, st, "cad-other-", 0)
	second := store.User{ID: "cad-adm2", Name: "Bea Admin", Email: "cad-adm2@example.org", PasswordHash: "h2", CreatedAt: at(time.Minute)}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateUser(ctx, second); err != nil {
			return err
		}
		_, err := tx.AddMembership(ctx, store.Membership{CampaignID: w.Campaign.ID, UserID: second.ID, Role: store.RoleAdmin, CreatedAt: at(time.Hour)})
		return err
	})
	got := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.User, error) {
		return tx.CampaignAdmins(ctx, w.Campaign.ID)
	})
	var names []string
	for _, u := range got {
		names = append(names, fmt.Sprintf("%s %s %s %s %s", u.ID, u.Name, u.Email, u.PasswordHash, u.CreatedAt.Sub(t0)))
	}
	want := []string{"cad-adm Ada Admin cad-adm@example.org h 0s", "cad-adm2 Bea Admin cad-adm2@example.org h2 1m0s"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("admins of the campaign = %q, want %q (not its volunteer, nor %s)", names, want, other.Admin.ID)
	}
	none := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.User, error) {
		return tx.CampaignAdmins(ctx, "cad-missing")
	})
	if len(none) != 0 {
		t.Fatalf("admins of a campaign that does not exist = %v, want none", none)
	}
}
