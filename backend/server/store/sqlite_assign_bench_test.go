package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// BenchmarkAssignBatch times a hand-out of 50 contacts (the load driver's
// batch) from a pool of 2,000, each one rolled back so that every run
// picks the same contacts.
func BenchmarkAssignBatch(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	err = st.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, store.Organization{ID: "o", Name: "O", CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, store.User{ID: "u", Name: "U", Email: "u@example.org", PasswordHash: "h", CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, store.Campaign{ID: "c", OrganizationID: "o", Name: "C", JoinCode: "111111", Active: true, CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.CreateAction(ctx, store.Action{ID: "a", CampaignID: "c", Type: api.ActionP2P, Title: "A", CreatorID: "u", CreatedAt: t0}); err != nil {
			return err
		}
		for i := range 2_000 {
			c := store.Contact{ID: fmt.Sprintf("k%05d", i), ActionID: "a", FirstName: "F", LastName: "L", Phone: fmt.Sprintf("+1555%07d", i),
				Fields: map[string]string{"ward": "3"}, CreatedAt: t0.Add(time.Duration(i) * time.Second)}
			if err := tx.CreateContact(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	undo := errors.New("undo the hand-out")
	since := t0.Add(-6 * time.Hour)
	for b.Loop() {
		var got []store.Contact
		err := st.Update(ctx, func(tx store.Tx) error {
			var err error
			if got, _, err = tx.AssignContacts(ctx, "a", "o", "u", 50, 1000, t0.Add(time.Hour), &since, nil); err != nil {
				return err
			}
			return undo
		})
		if !errors.Is(err, undo) {
			b.Fatal(err)
		}
		if len(got) != 50 {
			b.Fatalf("handed out %d, want 50", len(got))
		}
	}
}
