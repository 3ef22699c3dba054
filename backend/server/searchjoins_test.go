package server_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestPublicCampaignTakesSearchJoinsUpToItsLimit: a public campaign found by
// search takes search_joins_per_hour new volunteers an hour that way (each
// is handed contacts); the next is refused, told to ask for the join code,
// with no membership and no contacts, and the refusal is counted in
// campaign list. The code always lets them in, a member is never refused,
// the hour passing lets the next one in, and 0 lets nobody in by search.
// A stranger's search does not show a public campaign's code either.
func TestPublicCampaignTakesSearchJoinsUpToItsLimit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{name: "Open Doors", contacts: 40, numbers: 10})
	setLimit := func(n int) {
		t.Helper()
		f.update(func(tx store.Tx) error {
			c, err := tx.CampaignByID(ctx, cf.campaign.ID)
			if err != nil {
				return err
			}
			c.SearchJoinsPerHour = &n
			return tx.UpdateCampaign(ctx, c)
		})
	}
	setLimit(2)
	listed := func() server.CampaignListing {
		t.Helper()
		list, err := f.organizer(f.st).ListCampaigns(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(list, func(l server.CampaignListing) bool { return l.ID == cf.campaign.ID })
		if i < 0 {
			t.Fatalf("campaign list has no %s: %+v", cf.campaign.ID, list)
		}
		return list[i]
	}
	refused := func(c *api.Client, u api.User, words string) {
		t.Helper()
		_, err := c.JoinByID(ctx, cf.campaign.ID)
		ae := wantAPIError(t, err, http.StatusForbidden, api.CodeJoinCodeNeeded)
		if !strings.Contains(ae.Err.Message, words) || !strings.Contains(ae.Err.Message, "ask its organizers for the join code") {
			t.Fatalf("refusal says %q, want %q and whom to ask for the code", ae.Err.Message, words)
		}
		f.view(func(tx store.Tx) error {
			if _, err := tx.Membership(ctx, cf.campaign.ID, u.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a refused volunteer's membership: %v, want none", err)
			}
			return nil
		})
	}

	first, _ := f.user("first")
	if found, err := first.SearchCampaigns(ctx, "Open Doors"); err != nil || len(found) != 1 || found[0].JoinCode != "" {
		t.Fatalf("a stranger's search by name: %+v %v, want the campaign without its code", found, err)
	}
	if found, err := first.SearchCampaigns(ctx, cf.campaign.JoinCode); err != nil || len(found) != 1 || found[0].JoinCode != cf.campaign.JoinCode {
		t.Fatalf("a search by the code: %+v %v, want the campaign with it", found, err)
	}
	second, _ := f.user("second")
	for _, c := range []*api.Client{first, second} {
		if _, err := c.JoinByID(ctx, cf.campaign.ID); err != nil {
			t.Fatalf("join through search within the limit: %v", err)
		}
	}
	third, thirdUser := f.user("third")
	refused(third, thirdUser, "Open Doors takes 2 new volunteers an hour through search, and that many joined in the last hour")
	refused(third, thirdUser, "try again in 60 minutes")
	// A member asking again is not a new volunteer.
	if _, err := first.JoinByID(ctx, cf.campaign.ID); err != nil {
		t.Fatalf("a member joining again through search: %v", err)
	}
	// The code is never limited.
	if _, err := third.Join(ctx, cf.campaign.JoinCode); err != nil {
		t.Fatalf("join with the code past the search limit: %v", err)
	}
	l := listed()
	if l.SearchJoinsPerHour != 2 || l.SearchJoins != 2 || l.SearchJoinsRefused != 2 || l.Volunteers != 3 {
		t.Fatalf("campaign list: %+v, want limit 2, 2 joined through search, 2 refused, 3 volunteers", l)
	}

	// An hour after the first two, the next one gets in.
	fourth, fourthUser := f.user("fourth")
	f.clock.Advance(59 * time.Minute)
	refused(fourth, fourthUser, "try again in 1 minute")
	f.clock.Advance(time.Minute)
	if _, err := fourth.JoinByID(ctx, cf.campaign.ID); err != nil {
		t.Fatalf("join through search an hour later: %v", err)
	}

	setLimit(0)
	fifth, fifthUser := f.user("fifth")
	refused(fifth, fifthUser, "Open Doors takes new volunteers by join code only")
	if l := listed(); l.SearchJoinsPerHour != 0 || l.SearchJoins != 3 || l.SearchJoinsRefused != 4 {
		t.Fatalf("campaign list: %+v, want limit 0, 3 joined through search, 4 refused", l)
	}
}

// TestSearchJoinsPerHourFromTheCampaignFile: the file's
// search_joins_per_hour is the campaign's; left out, a new campaign has the
// default and an update keeps what the campaign has; a change is said.
func TestSearchJoinsPerHourFromTheCampaignFile(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	file := func(limit string) string {
		return strings.Replace(orgFile, `admins: [admin@example.org]}`, `admins: [admin@example.org]`+limit+`}`, 1)
	}
	res, err := o.CreateCampaign(ctx, parseFile(t, file("")))
	if err != nil {
		t.Fatal(err)
	}
	limit := func() int {
		t.Helper()
		list, err := o.ListCampaigns(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range list {
			if l.ID == res.CampaignID {
				return l.SearchJoinsPerHour
			}
		}
		t.Fatalf("campaign list has no %s", res.CampaignID)
		return 0
	}
	if got := limit(); got != 20 {
		t.Fatalf("left out at create: %d an hour, want the default 20", got)
	}
	up, err := o.UpdateCampaign(ctx, parseFile(t, file(", search_joins_per_hour: 0")))
	if err != nil {
		t.Fatal(err)
	}
	if got := limit(); got != 0 || !slices.Contains(up.Changes, "search joins per hour: 20 → 0") {
		t.Fatalf("set to 0: %d an hour, changes %q", got, up.Changes)
	}
	up, err = o.UpdateCampaign(ctx, parseFile(t, file("")))
	if err != nil {
		t.Fatal(err)
	}
	if got := limit(); got != 0 || len(up.Changes) != 0 {
		t.Fatalf("left out of an update: %d an hour, changes %q; want 0 kept, no change", got, up.Changes)
	}
}
