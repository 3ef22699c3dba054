package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestHeldStatementsFailTheirOwnFn: feed rows and a claimed text's inserts
// are held back and sent later (pipeline.go); their errors must still be
// the error of the fn that wrote them, which is undone alone, while the
// group's other fns commit.
func TestHeldStatementsFailTheirOwnFn(t *testing.T) {
	st := pgtest.OpenURL(t, pgtest.URL(t))
	ctx := t.Context()
	seedText(t, st) // user u, action a, thread k, message m
	err := st.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateContact(ctx, store.Contact{ID: "k2", ActionID: "a", Phone: "+12125550102", CreatedAt: t0.Add(time.Second)}); err != nil {
			return err
		}
		_, _, err := tx.AssignContacts(ctx, "a", "o", "u", 2, 10, t0, func(store.Contact) bool { return true })
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	feedOf := func(id string) func(tx store.Tx) error {
		return func(tx store.Tx) error {
			return tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "thread", EntityID: id})
		}
	}
	errs, err := st.UpdateEach(ctx, []func(store.Tx) error{
		feedOf("first"),
		func(tx store.Tx) error {
			// Held: the feed row of a user who does not exist (foreign key),
			// and a row of a user who does, undone with it.
			if err := tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "u", Kind: "thread", EntityID: "undone"}); err != nil {
				return err
			}
			return tx.AppendFeeds(ctx, t0, store.FeedRow{UserID: "nobody", Kind: "thread", EntityID: "bad"})
		},
		func(tx store.Tx) error {
			// After a claim the text's inserts are held; one that inserts
			// nothing (here the message id is taken, which the claim did
			// not check) is this fn's ErrDuplicate, seen from the command
			// tag, and the claim is undone with it.
			a, err := tx.ActionByID(ctx, "a")
			if err != nil {
				return err
			}
			ok, err := tx.ClaimInitial(ctx, store.InitialClaim{ContactID: "k2", UserID: "u", ActionID: "a",
				Scripts: a.Scripts, Hours: a.TextingHours, OrganizationID: "o", Phone: "+12125550102",
				InitialSince: t0.Add(-6 * time.Hour), MessageID: "m2", MutationID: "mu2"})
			if err != nil || !ok {
				return fmt.Errorf("claim: %v, %w", ok, err)
			}
			return tx.CreateMessage(ctx, store.Message{ID: "m", ThreadID: "k", Direction: "out", Body: "again",
				Status: "queued", SenderID: "u", CreatedAt: t0})
		},
		feedOf("last"),
	})
	if err != nil {
		t.Fatalf("UpdateEach: %v", err)
	}
	if errs[0] != nil || errs[3] != nil {
		t.Fatalf("fns without a bad statement failed: %v", errs)
	}
	if errs[1] == nil {
		t.Fatal("a feed row of a user who does not exist was accepted")
	}
	if !errors.Is(errs[2], store.ErrDuplicate) {
		t.Fatalf("a taken message id: %v, want ErrDuplicate", errs[2])
	}
	var got []string
	err = st.View(ctx, func(tx store.Tx) error {
		rows, err := tx.FeedAfter(ctx, "u", 0, 100)
		for _, r := range rows {
			got = append(got, r.EntityID)
		}
		return err
	})
	if err != nil || len(got) != 2 || got[0] != "first" || got[1] != "last" {
		t.Fatalf("feed of u = %v, %v; want [first last]: only the failed fn's rows undone", got, err)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		c, err := tx.ContactByID(ctx, "k2")
		if err == nil && c.State != store.ContactAssigned {
			t.Errorf("contact k2 is %s after its fn failed, want the claim undone (assigned)", c.State)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The same in a single Update: the held row's error fails it, nothing
	// is stored.
	err = st.Update(ctx, func(tx store.Tx) error {
		if err := feedOf("alone")(tx); err != nil {
			return err
		}
		return tx.AppendFeeds(context.Background(), t0, store.FeedRow{UserID: "nobody", Kind: "thread", EntityID: "bad"})
	})
	if err == nil {
		t.Fatal("Update with a bad held feed row committed")
	}
	err = st.View(ctx, func(tx store.Tx) error {
		rows, err := tx.FeedAfter(ctx, "u", 0, 100)
		if err == nil && len(rows) != 2 {
			t.Errorf("feed of u after the failed Update has %d rows, want 2", len(rows))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
