package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

func TestTokenLifetimeColumns(t *testing.T) {
	ctx := context.Background()
	st := open(t, filepath.Join(t.TempDir(), "s.db"))
	defer st.Close()
	u := store.User{ID: "u1", Name: "Ann", Email: "ann@example.org", PasswordHash: "h", CreatedAt: t0}
	err := st.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.CreateToken(ctx, "hash1", u.ID, t0)
	})
	if err != nil {
		t.Fatal(err)
	}
	var last store.TokenTimes
	view := func() {
		if err := st.View(ctx, func(tx store.Tx) error {
			var err error
			_, last, err = tx.TokenUser(ctx, "hash1")
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	view()
	if !last.LastUsed.Equal(t0) {
		t.Fatalf("never-used token's last use %v, want its creation %v", last, t0)
	}
	later := t0.Add(time.Hour)
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.TouchToken(ctx, "hash1", later) }); err != nil {
		t.Fatal(err)
	}
	view()
	if !last.LastUsed.Equal(later) {
		t.Fatalf("last use %v, want %v", last, later)
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.DeleteToken(ctx, "hash1") }); err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx store.Tx) error { return tx.DeleteToken(ctx, "hash1") })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second delete: %v, want ErrNotFound", err)
	}
}

func TestInsertContactsAndListings(t *testing.T) {
	ctx := context.Background()
	st := open(t, filepath.Join(t.TempDir(), "s.db"))
	defer st.Close()
	err := st.Update(ctx, func(tx store.Tx) error {
		for _, u := range []store.User{
			{ID: "u1", Name: "Ann", Email: "ann@example.org", PasswordHash: "h", CreatedAt: t0},
			{ID: "u2", Name: "Bob", Email: "bob@example.org", PasswordHash: "h", CreatedAt: t0},
		} {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		if err := tx.CreateOrganization(ctx, store.Organization{ID: "o1", Name: "Org", CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, store.Campaign{ID: "c1", OrganizationID: "o1", Name: "C", JoinCode: "111111", Active: true, CreatedAt: t0}); err != nil {
			return err
		}
		if _, err := tx.AddMembership(ctx, store.Membership{CampaignID: "c1", UserID: "u1", Role: store.RoleAdmin, CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.CreateAction(ctx, store.Action{ID: "a1", CampaignID: "c1", Type: api.ActionP2P, Title: "T", Scripts: []string{"Hi"},
			TextingHours: store.TextingHours{Start: "09:00", End: "21:00"}, CreatorID: "u1", CreatedAt: t0}); err != nil {
			return err
		}
		return tx.InsertContacts(ctx, []store.Contact{
			{ID: "k1", ActionID: "a1", FirstName: "A", Phone: "+12125550101", Fields: map[string]string{"precinct": "1"}, CreatedAt: t0},
			{ID: "k2", ActionID: "a1", FirstName: "B", Phone: "+12125550102", CreatedAt: t0},
		}, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	// A repeated number in the same action is ErrDuplicate and rolls the
	// whole insert back.
	err = st.Update(ctx, func(tx store.Tx) error {
		return tx.InsertContacts(ctx, []store.Contact{
			{ID: "k3", ActionID: "a1", Phone: "+12125550103", CreatedAt: t0},
			{ID: "k4", ActionID: "a1", Phone: "+12125550101", CreatedAt: t0},
		}, nil)
	})
	if !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("duplicate insert: %v", err)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		n, err := tx.CountContacts(ctx, "a1")
		if err != nil || n != 2 {
			t.Fatalf("contacts %d %v, want 2", n, err)
		}
		c, err := tx.ContactByID(ctx, "k1")
		if err != nil || c.Fields["precinct"] != "1" || c.State != store.ContactUnassigned {
			t.Fatalf("contact %+v %v", c, err)
		}
		users, err := tx.ListUsers(ctx)
		if err != nil || len(users) != 2 || len(users[0].Memberships) != 1 || users[0].Memberships[0].Role != store.RoleAdmin ||
			len(users[1].Memberships) != 0 || users[0].PasswordHash != "" {
			t.Fatalf("users %+v %v", users, err)
		}
		list, err := tx.ListCampaigns(ctx, false)
		if err != nil || len(list) != 1 || list[0].Contacts != 2 || list[0].Admins != 1 || list[0].OrganizationName != "Org" {
			t.Fatalf("campaigns %+v %v", list, err)
		}
		phones, err := tx.ActionPhones(ctx, "a1")
		if _, ok := phones["+12125550102"]; err != nil || len(phones) != 2 || !ok {
			t.Fatalf("phones %v %v", phones, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
