package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// TestGeneratedJoinCodeIsNoArchivedCampaigns: join_code: generate never
// gives a new campaign a code an archived campaign had. A private
// campaign's code is its only secret, and an archived public campaign's
// was shown to anyone who joined it (its volunteers' apps still show it):
// before, a draw that landed on it let every one of them join the new
// private campaign with a code they already knew, no guess counted.
func TestGeneratedJoinCodeIsNoArchivedCampaigns(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	old, err := o.CreateCampaign(ctx, parseFile(t, `
organization: Test Org
campaign: {name: Old Drive, join_code: "424242", public: true, admins: [admin@example.org]}
actions:
  - title: GOTV
    scripts: ["Hi {first_name}, will you vote?"]
`))
	if err != nil {
		t.Fatal(err)
	}
	// Its volunteers' apps show the public campaign's code while it runs
	// (and searches did to strangers before search_joins_per_hour)...
	vera, _ := f.user("vera")
	if _, err := vera.JoinByID(ctx, old.CampaignID); err != nil {
		t.Fatal(err)
	}
	found, err := vera.SearchCampaigns(ctx, "Old Drive")
	if err != nil || len(found) != 1 || found[0].JoinCode != old.JoinCode {
		t.Fatalf("a volunteer's search for the public campaign: %+v, %v", found, err)
	}
	sam, _ := f.user("sam")
	// ...and keeps it after the campaign is archived.
	if _, err := o.ArchiveCampaign(ctx, old.JoinCode); err != nil {
		t.Fatal(err)
	}
	// The draws land on the archived campaign's code, then on the active
	// fixture campaign's, before a fresh one.
	active := f.campaign(campaignOpts{private: true})
	draws := []string{old.JoinCode, active.campaign.JoinCode, "515151"}
	o.SetJoinCodeDraw(func() (string, error) {
		code := draws[0]
		draws = draws[1:]
		return code, nil
	})
	res, err := o.CreateCampaign(ctx, parseFile(t, `
organization: Test Org
campaign: {name: Board Members, join_code: generate, admins: [admin@example.org]}
actions:
  - title: Call list
    scripts: ["Hi {first_name}, the board meets Tuesday."]
`))
	if err != nil {
		t.Fatal(err)
	}
	if res.JoinCode != "515151" {
		t.Fatalf("the new private campaign's generated code = %s, want 515151 (not %s, the archived campaign's, nor %s, an active one's)",
			res.JoinCode, old.JoinCode, active.campaign.JoinCode)
	}
	_, err = sam.Join(ctx, old.JoinCode)
	wantAPIError(t, err, http.StatusNotFound, api.CodeCampaignUnknown)
	found, err = sam.SearchCampaigns(ctx, old.JoinCode)
	if err != nil || len(found) != 0 {
		t.Fatalf("search for the old code = %+v, %v; want nothing", found, err)
	}
}
