package server_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestRefusedSearchJoinRetriedIsLoggedOncePerHour: an account refused a join
// through search that asks again 1,000 times gets the same 403 each time,
// with Retry-After the wait its words give, and the server logs one line
// (not one a try, nor the refusal logger's burst of 20): every try is still
// counted in campaign list. An hour after the logged one, its next refusal
// is logged again, with its refusals so far; another account's refusal is
// logged on its own. (The store's tests show the tries add no row.)
func TestRefusedSearchJoinRetriedIsLoggedOncePerHour(t *testing.T) {
	logs := &logLines{}
	f := newFixtureWith(t, fixtureOpts{log: zerolog.New(logs)})
	ctx := context.Background()
	cf := f.campaign(campaignOpts{name: "Open Doors", contacts: 10, numbers: 4})
	f.update(func(tx store.Tx) error {
		c, err := tx.CampaignByID(ctx, cf.campaign.ID)
		if err != nil {
			return err
		}
		one := 1
		c.SearchJoinsPerHour = &one
		return tx.UpdateCampaign(ctx, c)
	})
	first, _ := f.user("first")
	if _, err := first.JoinByID(ctx, cf.campaign.ID); err != nil {
		t.Fatalf("join through search within the limit: %v", err)
	}
	f.clock.Advance(10 * time.Minute)
	const msg = "join through search refused"
	lines := func() []string {
		var out []string
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, msg) {
				out = append(out, l)
			}
		}
		return out
	}
	retrier, retrierUser := f.user("retrier")
	const tries = 1000
	for i := range tries {
		_, err := retrier.JoinByID(ctx, cf.campaign.ID)
		ae := wantAPIError(t, err, http.StatusForbidden, api.CodeJoinCodeNeeded)
		if !strings.Contains(ae.Err.Message, "try again in 50 minutes") || ae.RetryAfter != 50*time.Minute {
			t.Fatalf("try %d: %q with Retry-After %v, want the wait of 50 minutes in both", i+1, ae.Err.Message, ae.RetryAfter)
		}
	}
	got := lines()
	if len(got) != 1 || !strings.Contains(got[0], `"user":"`+retrierUser.ID+`"`) || !strings.Contains(got[0], `"refusals":1,`) {
		t.Fatalf("%d refused tries logged %d lines, want one naming the account and its first refusal:\n%s", tries, len(got), strings.Join(got, "\n"))
	}
	refusedCount := func() int {
		t.Helper()
		list, err := f.organizer(f.st).ListCampaigns(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(list, func(l server.CampaignListing) bool { return l.ID == cf.campaign.ID })
		if i < 0 {
			t.Fatalf("campaign list has no %s", cf.campaign.ID)
		}
		return list[i].SearchJoinsRefused
	}
	if n := refusedCount(); n != tries {
		t.Fatalf("campaign list counts %d refused, want every try (%d)", n, tries)
	}

	// Another account's refusal is its own line.
	other, otherUser := f.user("other")
	if _, err := other.JoinByID(ctx, cf.campaign.ID); err == nil {
		t.Fatal("another account past the limit joined")
	}
	if got := lines(); len(got) != 2 || !strings.Contains(got[1], `"user":"`+otherUser.ID+`"`) {
		t.Fatalf("another account's refusal: %d lines, want a second naming it:\n%s", len(got), strings.Join(got, "\n"))
	}

	// With the campaign taking none through search, waiting does not help:
	// no Retry-After. An hour after its logged refusal, the retrier's next
	// is logged again, with all its refusals so far.
	f.update(func(tx store.Tx) error {
		c, err := tx.CampaignByID(ctx, cf.campaign.ID)
		if err != nil {
			return err
		}
		none := 0
		c.SearchJoinsPerHour = &none
		return tx.UpdateCampaign(ctx, c)
	})
	f.clock.Advance(59 * time.Minute)
	_, err := retrier.JoinByID(ctx, cf.campaign.ID)
	if ae := wantAPIError(t, err, http.StatusForbidden, api.CodeJoinCodeNeeded); ae.RetryAfter != 0 {
		t.Fatalf("a refusal by a campaign taking none through search has Retry-After %v, want none", ae.RetryAfter)
	}
	if got := lines(); len(got) != 2 {
		t.Fatalf("a refusal within the hour of the logged one was logged:\n%s", strings.Join(got, "\n"))
	}
	f.clock.Advance(time.Minute)
	if _, err := retrier.JoinByID(ctx, cf.campaign.ID); err == nil {
		t.Fatal("the retrier joined a campaign taking none through search")
	}
	got = lines()
	if len(got) != 3 || !strings.Contains(got[2], `"user":"`+retrierUser.ID+`"`) || !strings.Contains(got[2], `"refusals":1002,`) {
		t.Fatalf("an hour on, the retrier's refusal: want a third line with its 1002 refusals:\n%s", strings.Join(got, "\n"))
	}
	if n := refusedCount(); n != tries+3 {
		t.Fatalf("campaign list counts %d refused, want %d", n, tries+3)
	}
}
