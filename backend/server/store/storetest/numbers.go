package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

func testMedia(t *testing.T, st store.Store) {
	w := newWorld(t, st, "med", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	urls := []string{"https://media.example/b.jpg", "https://media.example/a.jpg", "https://media.example/c.jpg"}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateMessage(ctx, store.Message{ID: "pic", ThreadID: th.ID, Direction: dirIn, Body: "", Status: statusRecv,
			ProviderID: "MMpic", CreatedAt: t0}); err != nil {
			return err
		}
		return tx.AddMessageMedia(ctx, "pic", urls)
	})
	got := get(t, st, func(ctx context.Context, tx store.Tx) ([]string, error) { return tx.MessageMedia(ctx, "pic") })
	if fmt.Sprint(got) != fmt.Sprint(urls) {
		t.Fatalf("MessageMedia = %v, want %v in the order given", got, urls)
	}
	if got := get(t, st, func(ctx context.Context, tx store.Tx) ([]string, error) { return tx.MessageMedia(ctx, "none") }); len(got) != 0 {
		t.Fatalf("media of a message without = %v", got)
	}
}

func testSendingNumbers(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	w := newWorld(t, st, "num", 0) // number 1 in the pool
	second := "+12025559998"
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.AddSendingNumber(ctx, w.Campaign.ID, second, at(time.Second))
	})
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.AddSendingNumber(ctx, w.Campaign.ID, second, t0) }); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("a number twice: %v, want ErrDuplicate", err)
	}
	users := []store.User{w.Volunteer, w.Admin, addUser(t, st, "num3"), addUser(t, st, "num4")}
	var got []string
	for _, u := range users {
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			n, err := tx.AssignSendingNumber(ctx, w.Campaign.ID, u.ID, at(time.Minute))
			got = append(got, n)
			return err
		})
	}
	// Fewest volunteers first, the oldest number among equals.
	if want := fmt.Sprint([]string{w.Number, second, w.Number, second}); fmt.Sprint(got) != want {
		t.Fatalf("numbers handed out %v, want %s", got, want)
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (string, error) {
		return tx.SendingNumber(ctx, w.Campaign.ID, users[1].ID)
	}); n != second {
		t.Fatalf("SendingNumber = %q, want %s", n, second)
	}
	if err := st.Update(ctx, func(tx store.Tx) error {
		_, err := tx.AssignSendingNumber(ctx, w.Campaign.ID, users[0].ID, t0)
		return err
	}); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("a second number for one volunteer: %v, want ErrDuplicate", err)
	}
	if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.SendingNumber(ctx, w.Campaign.ID, "nobody"); return err }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("number of a volunteer without: %v, want ErrNotFound", err)
	}
	empty := store.Campaign{ID: "empty", OrganizationID: w.Org.ID, Name: "Empty", JoinCode: "999001", Active: true, CreatedAt: t0}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateCampaign(ctx, empty) })
	if err := st.Update(ctx, func(tx store.Tx) error {
		_, err := tx.AssignSendingNumber(ctx, "empty", users[0].ID, t0)
		return err
	}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a number from an empty pool: %v, want ErrNotFound", err)
	}
	list := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.SendingNumberInfo, error) {
		return tx.ListSendingNumbers(ctx, w.Campaign.ID)
	})
	if len(list) != 2 || list[0].Phone != w.Number || list[0].Volunteers != 2 || list[1].Volunteers != 2 || list[0].CampaignID != w.Campaign.ID {
		t.Fatalf("ListSendingNumbers = %+v", list)
	}
	other := newWorld(t, st, "num-other", 0)
	if all := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.SendingNumberInfo, error) {
		return tx.ListSendingNumbers(ctx, "")
	}); len(all) != 3 {
		t.Fatalf("every campaign's numbers = %+v, want 3", all)
	}
	if c := get(t, st, func(ctx context.Context, tx store.Tx) (string, error) {
		return tx.SendingNumberCampaign(ctx, other.Number)
	}); c != other.Campaign.ID {
		t.Fatalf("SendingNumberCampaign = %q, want %s", c, other.Campaign.ID)
	}
	if err := st.View(ctx, func(tx store.Tx) error { _, err := tx.SendingNumberCampaign(ctx, "+10000000000"); return err }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("campaign of a number not ours: %v, want ErrNotFound", err)
	}
}
