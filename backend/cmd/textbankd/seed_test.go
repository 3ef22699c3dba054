package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/store"
)

// seedCampaign puts one organization and campaign (join code 424242) in a
// fresh data directory, as an organizer would have.
func seedCampaign(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	now := time.Now().UTC()
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, store.Organization{ID: "org", Name: "Org", CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, store.Campaign{ID: "camp", OrganizationID: "org", Name: "Turnout", JoinCode: "424242", Active: true, CreatedAt: now}); err != nil {
			return err
		}
		return tx.AddUnroutable(ctx, store.Unroutable{ID: "u1", ProviderID: "SM1", From: "+12125550101", To: "+12025550100", Body: "who is this?", ReceivedAt: now})
	})
	return dir
}

// withStore runs fn in one transaction on the data directory's database,
// closed again before the command under test opens it.
func withStore(t *testing.T, dir string, fn func(context.Context, store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, demo.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Update(ctx, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

// member is an account for seedMembers: its email is its name, lower
// case, at example.org; its role in seedCampaign's campaign ("" for an
// account that is no member).
type member struct {
	id, name, role string
}

// seedMembers creates the accounts in seedCampaign's data directory, each
// with a role joining the campaign in the order given, a second apart from
// the time it returns (the first one's).
func seedMembers(t *testing.T, dir string, members ...member) time.Time {
	t.Helper()
	now := time.Now().UTC()
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		for i, m := range members {
			u := store.User{ID: m.id, Name: m.name, Email: strings.ToLower(m.name) + "@example.org", PasswordHash: "h", CreatedAt: now}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			if m.role == "" {
				continue
			}
			joined := now.Add(time.Duration(i) * time.Second)
			if _, err := tx.AddMembership(ctx, store.Membership{CampaignID: "camp", UserID: m.id, Role: m.role, CreatedAt: joined}); err != nil {
				return err
			}
		}
		return nil
	})
	return now
}
