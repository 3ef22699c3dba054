package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// TestStaleRemovalChangesNothing: before stop 66, admin add (and campaign
// update listing them) made a removed person a member again and kept their
// removal record. No migration deletes such records, because none changes
// what an organizer or the member sees: members list and campaign list
// count the membership; readmit says they are a member already; the member
// finds the campaign and reads its Admin section; and a later members
// remove replaces the old record with its own time, after which readmit and
// the code let them back as for anyone removed.
func TestStaleRemovalChangesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	if _, err := o.CreateCampaign(ctx, parseFile(t, `
organization: Test Org
campaign: {name: Board Members, join_code: "424242", admins: [`+f.admin.Email+`]}
actions:
  - title: Call list
    scripts: ["Hi {first_name}, the board meets Tuesday."]
`)); err != nil {
		t.Fatal(err)
	}
	vera, v := f.user("vera")
	joined, err := vera.Join(ctx, "424242")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.RemoveMember(ctx, v.Email, "424242"); err != nil {
		t.Fatal(err)
	}
	firstRemoval := f.clock.Now()
	// What admin add did before stop 66: a membership, the removal kept.
	f.clock.Advance(time.Hour)
	f.update(func(tx store.Tx) error {
		_, err := tx.AddMembership(ctx, store.Membership{CampaignID: joined.ID, UserID: v.ID, Role: store.RoleAdmin, CreatedAt: f.clock.Now()})
		return err
	})
	f.update(func(tx store.Tx) error {
		_, err := tx.RemovedAt(ctx, joined.ID, v.ID)
		return err // the stale record is there
	})

	list, err := o.Members(ctx, "424242")
	if err != nil || len(list.Members) != 2 || list.Members[1].Email != v.Email || list.Members[1].Role != "admin" {
		t.Fatalf("members list: %+v, %v; want the admin and vera, an admin, once", list.Members, err)
	}
	camps, err := o.ListCampaigns(ctx, false)
	if err != nil || len(camps) != 1 || camps[0].Admins != 2 || camps[0].Volunteers != 0 {
		t.Fatalf("campaign list: %+v, %v; want 2 admins, no volunteer", camps, err)
	}
	if _, err := o.ReadmitMember(ctx, v.Email, "424242"); err == nil || !strings.Contains(err.Error(), "is a member of campaign 424242 already") {
		t.Fatalf("readmit of a member with a stale removal: %v; want refused as a member already", err)
	}
	found, err := vera.SearchCampaigns(ctx, "")
	if err != nil || len(found) != 1 || found[0].ID != joined.ID || found[0].Role != "admin" {
		t.Fatalf("vera's campaigns: %+v, %v; want Board Members, as an admin", found, err)
	}
	if _, err := vera.AdminOverview(ctx, joined.ID); err != nil {
		t.Fatalf("vera's Admin section: %v", err)
	}

	// Removed again: the record takes the new time, and readmit lets her back.
	if _, err := o.RemoveAdmin(ctx, v.Email, "424242"); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	if _, err := o.RemoveMember(ctx, v.Email, "424242"); err != nil {
		t.Fatalf("removing her again: %v", err)
	}
	f.update(func(tx store.Tx) error {
		at, err := tx.RemovedAt(ctx, joined.ID, v.ID)
		if err == nil && !at.After(firstRemoval) {
			t.Errorf("removed again at %v: the record kept the first removal's %v", at, firstRemoval)
		}
		return err
	})
	if _, err := vera.Join(ctx, "424242"); err == nil {
		t.Fatal("she joined with the code after her second removal")
	}
	if _, err := o.ReadmitMember(ctx, v.Email, "424242"); err != nil {
		t.Fatal(err)
	}
	if _, err := vera.Join(ctx, "424242"); err != nil {
		t.Fatalf("her join after the readmission: %v", err)
	}
}
