package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var t0 = time.Date(2026, 3, 10, 12, 0, 0, 123456000, time.UTC)

func open(t *testing.T, path string) *store.SQLite {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return st
}

func TestOpenTwiceKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	st := open(t, path)
	u := store.User{ID: "u1", Name: "Ann", Email: "Ann@Example.org", PasswordHash: "h", CreatedAt: t0}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st = open(t, path)
	defer st.Close()
	err := st.View(ctx, func(tx store.Tx) error {
		got, err := tx.UserByEmail(ctx, "ann@example.org")
		if err != nil {
			return err
		}
		if got.ID != "u1" || !got.CreatedAt.Equal(t0) || got.Email != "ann@example.org" {
			t.Errorf("user = %+v", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestConstraints(t *testing.T) {
	ctx := context.Background()
	st := open(t, filepath.Join(t.TempDir(), "s.db"))
	defer st.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, store.Organization{ID: "o", Name: "O", CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, store.User{ID: "u", Name: "U", Email: "u@example.org", CreatedAt: t0}); err != nil {
			return err
		}
		return tx.CreateCampaign(ctx, store.Campaign{ID: "c1", OrganizationID: "o", Name: "A", JoinCode: "111111", Active: true, CreatedAt: t0})
	}))

	tests := []struct {
		name string
		fn   func(tx store.Tx) error
		want error
	}{
		{"email taken in other case", func(tx store.Tx) error {
			return tx.CreateUser(ctx, store.User{ID: "u2", Name: "U", Email: "U@EXAMPLE.org", CreatedAt: t0})
		}, store.ErrEmailTaken},
		{"join code taken by active campaign", func(tx store.Tx) error {
			return tx.CreateCampaign(ctx, store.Campaign{ID: "c2", OrganizationID: "o", Name: "B", JoinCode: "111111", Active: true, CreatedAt: t0})
		}, store.ErrJoinCodeTaken},
		{"join code free among retired campaigns", func(tx store.Tx) error {
			return tx.CreateCampaign(ctx, store.Campaign{ID: "c3", OrganizationID: "o", Name: "C", JoinCode: "111111", Active: false, CreatedAt: t0})
		}, nil},
		{"unknown campaign", func(tx store.Tx) error {
			_, err := tx.CampaignByID(ctx, "nope")
			return err
		}, store.ErrNotFound},
		{"foreign key enforced", func(tx store.Tx) error {
			return tx.CreateCampaign(ctx, store.Campaign{ID: "c4", OrganizationID: "no-org", Name: "D", JoinCode: "222222", Active: true, CreatedAt: t0})
		}, errAny},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := st.Update(ctx, tc.fn)
			switch {
			case tc.want == errAny:
				if err == nil {
					t.Fatal("no error")
				}
			case tc.want == nil && err != nil:
				t.Fatal(err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}

	t.Run("view is read-only", func(t *testing.T) {
		err := st.View(ctx, func(tx store.Tx) error {
			return tx.CreateOrganization(ctx, store.Organization{ID: "o2", Name: "O2", CreatedAt: t0})
		})
		if err == nil {
			t.Fatal("a write inside View succeeded")
		}
	})
	t.Run("failed update changes nothing", func(t *testing.T) {
		boom := errors.New("boom")
		err := st.Update(ctx, func(tx store.Tx) error {
			if err := tx.CreateOrganization(ctx, store.Organization{ID: "o3", Name: "O3", CreatedAt: t0}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		_ = st.Update(ctx, func(tx store.Tx) error {
			if err := tx.CreateOrganization(ctx, store.Organization{ID: "o3", Name: "O3", CreatedAt: t0}); err != nil {
				t.Fatalf("o3 exists after a rolled-back update: %v", err)
			}
			return nil
		})
	})
	t.Run("feed is ordered per user", func(t *testing.T) {
		must(st.Update(ctx, func(tx store.Tx) error {
			for _, id := range []string{"a", "b", "c"} {
				if _, err := tx.AppendFeed(ctx, "u", "thread", id, t0); err != nil {
					return err
				}
			}
			return nil
		}))
		must(st.View(ctx, func(tx store.Tx) error {
			rows, err := tx.FeedAfter(ctx, "u", 0, 2)
			if err != nil {
				return err
			}
			if len(rows) != 2 || rows[0].EntityID != "a" || rows[1].EntityID != "b" {
				t.Errorf("first page = %+v", rows)
			}
			rest, err := tx.FeedAfter(ctx, "u", rows[1].Seq, 10)
			if err != nil {
				return err
			}
			latest, err := tx.LatestSeq(ctx, "u")
			if err != nil {
				return err
			}
			if len(rest) != 1 || rest[0].EntityID != "c" || latest != rest[0].Seq {
				t.Errorf("rest = %+v latest %d", rest, latest)
			}
			return nil
		}))
	})
}

var errAny = errors.New("any error")
