package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// refuse counts one refusal of user by w's campaign at when, logged if
// none of theirs there was logged in the hour before.
func refuse(t *testing.T, st store.Store, w world, user string, when time.Time) store.SearchJoinRefusal {
	t.Helper()
	var r store.SearchJoinRefusal
	update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
		r, err = tx.AddSearchJoinRefusal(ctx, w.Campaign.ID, user, when, when.Add(-time.Hour))
		return err
	})
	return r
}

// refusedListed is campaign list's count of w's campaign's refusals.
func refusedListed(t *testing.T, st store.Store, w world) int {
	t.Helper()
	list := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.CampaignListing, error) {
		return tx.ListCampaigns(ctx, false)
	})
	i := slices.IndexFunc(list, func(l store.CampaignListing) bool { return l.ID == w.Campaign.ID })
	if i < 0 {
		t.Fatalf("ListCampaigns has no %s", w.Campaign.ID)
	}
	return list[i].SearchJoinsRefused
}

// testSearchJoinRefusals: AddSearchJoinRefusal counts every refusal of an
// account (campaign list's sum counts them all), and says to log the first,
// then none until one comes after logAfter has passed the logged one's
// time (at it exactly: logged); each account and campaign on its own.
func testSearchJoinRefusals(t *testing.T, st store.Store) {
	w := newWorld(t, st, "sjr", 0)
	other := newWorld(t, st, "sjr2", 0)
	second := addUser(t, st, "sjr-second")
	vol := w.Volunteer.ID
	steps := []struct {
		name string
		w    world
		user string
		when time.Time
		want store.SearchJoinRefusal
	}{
		{"first", w, vol, t0, store.SearchJoinRefusal{Refusals: 1, Log: true}},
		{"again at once", w, vol, t0, store.SearchJoinRefusal{Refusals: 2}},
		{"59 minutes on", w, vol, at(59 * time.Minute), store.SearchJoinRefusal{Refusals: 3}},
		{"another account", w, second.ID, at(59 * time.Minute), store.SearchJoinRefusal{Refusals: 1, Log: true}},
		{"another campaign", other, vol, at(59 * time.Minute), store.SearchJoinRefusal{Refusals: 1, Log: true}},
		{"an hour after the logged one", w, vol, at(time.Hour), store.SearchJoinRefusal{Refusals: 4, Log: true}},
		{"a minute after that", w, vol, at(61 * time.Minute), store.SearchJoinRefusal{Refusals: 5}},
	}
	for _, s := range steps {
		if got := refuse(t, st, s.w, s.user, s.when); got != s.want {
			t.Errorf("%s: AddSearchJoinRefusal = %+v, want %+v", s.name, got, s.want)
		}
	}
	if n := refusedListed(t, st, w); n != 6 {
		t.Errorf("ListCampaigns counts %d refusals, want 6 (5 of one account, 1 of another)", n)
	}
}

// CheckRefusalsAddNoRow: 1,000 refusals of one account leave rows() (the
// engine's count of rows of search_join_refusals) where the first left
// it, and every one is counted; the 1,000th is not logged.
func CheckRefusalsAddNoRow(t *testing.T, st store.Store, rows func() int) {
	t.Helper()
	w := newWorld(t, st, "sjrows", 0)
	before := rows()
	if r := refuse(t, st, w, w.Volunteer.ID, t0); !r.Log {
		t.Fatalf("the first refusal: %+v, want it logged", r)
	}
	after := rows()
	if after != before+1 {
		t.Fatalf("the first refusal took the rows from %d to %d, want one more", before, after)
	}
	var last store.SearchJoinRefusal
	for i := range 999 {
		last = refuse(t, st, w, w.Volunteer.ID, at(time.Duration(i)*time.Second))
	}
	if n := rows(); n != after {
		t.Fatalf("1,000 refusals of one account left %d rows, want %d, as after the first", n, after)
	}
	if last.Log || last.Refusals != 1000 || refusedListed(t, st, w) != 1000 {
		t.Fatalf("the 1,000th refusal: %+v, listed %d; want 1000 counted, not logged", last, refusedListed(t, st, w))
	}
}

// BeforeRefusalsLogged is the last migration before 0041 decided, on the
// refusal's row, which refusals the server logs.
const BeforeRefusalsLogged = 40

// RefusalsLoggedFixtureSQL fills a database migrated to
// BeforeRefusalsLogged (either dialect): an account refused 5 times.
var RefusalsLoggedFixtureSQL = []string{
	`INSERT INTO organizations (id, name, created_at) VALUES ('ro', 'Org', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO users (id, name, email, password_hash, created_at) VALUES
		('rvol', 'Val Volunteer', 'rvol@example.org', 'h', '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO campaigns (id, organization_id, name, join_code, active, public, created_at) VALUES
		('rcamp', 'ro', 'Open Doors', '300001', 1, 1, '2026-01-01T00:00:00.000000000Z')`,
	`INSERT INTO search_join_refusals (campaign_id, user_id, refused_at, refusals) VALUES
		('rcamp', 'rvol', '2026-03-10T11:59:00.000000000Z', 5)`,
}

// CheckRefusalsLoggedAfterMigration checks st, opened on
// RefusalsLoggedFixtureSQL's database: the account's refusals from before
// 0041 are kept, and its next one, a minute after the last, is counted
// with them and logged (nothing says one of them was).
func CheckRefusalsLoggedAfterMigration(t *testing.T, st store.Store) {
	t.Helper()
	var r store.SearchJoinRefusal
	update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
		r, err = tx.AddSearchJoinRefusal(ctx, "rcamp", "rvol", t0, t0.Add(-time.Hour))
		return err
	})
	if want := (store.SearchJoinRefusal{Refusals: 6, Log: true}); r != want {
		t.Errorf("the first refusal after migration 0041: %+v, want %+v", r, want)
	}
}
