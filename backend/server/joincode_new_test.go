package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// TestNewJoinCode: a public campaign made private keeps a code search
// showed to anyone, and a private one's code can leak; its code could not
// be changed, so strangers who knew it joined for good. NewJoinCode draws
// a new one as generate does (never a code any campaign had, its own old
// one and retired ones included); members keep their access and their
// apps hear the new code; the old code joins nobody, answered as a code
// no campaign ever had; and generate never draws it again.
func TestNewJoinCode(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	file := func(public string) string {
		return `
organization: Test Org
campaign: {name: Board Members, join_code: "424242", public: ` + public + `, admins: [admin@example.org]}
actions:
  - title: Call list
    scripts: ["Hi {first_name}, the board meets Tuesday."]
`
	}
	created, err := o.CreateCampaign(ctx, parseFile(t, file("true")))
	if err != nil {
		t.Fatal(err)
	}
	vera, _ := f.user("vera")
	if _, err := vera.Join(ctx, "424242"); err != nil {
		t.Fatal(err)
	}
	sam, _ := f.user("sam")
	// A stranger finds the public campaign, not its code (joining by it
	// would go past search_joins_per_hour); its volunteers know it.
	if found, err := sam.SearchCampaigns(ctx, "Board Members"); err != nil || len(found) != 1 || found[0].JoinCode != "" {
		t.Fatalf("search for the public campaign: %+v, %v", found, err)
	}
	res, err := o.UpdateCampaign(ctx, parseFile(t, file("false")))
	if err != nil || !res.MadePrivate {
		t.Fatalf("update making it private: %+v, %v; want MadePrivate", res, err)
	}
	if res, err := o.UpdateCampaign(ctx, parseFile(t, file("false"))); err != nil || res.MadePrivate {
		t.Fatalf("update of a campaign already private: %+v, %v; want MadePrivate false", res, err)
	}

	// Bad codes change nothing.
	archived := f.campaign(campaignOpts{})
	if _, err := o.ArchiveCampaign(ctx, archived.campaign.JoinCode); err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]string{
		"12345":                    `no campaign has join code or id "12345"`,
		"999999":                   "no active campaign has join code 999999",
		archived.campaign.JoinCode: "which is archived",
		archived.campaign.ID:       "is archived, and this works only on an active campaign",
	} {
		if _, err := o.NewJoinCode(ctx, code); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NewJoinCode(%q): %v; want an error saying %q", code, err, want)
		}
	}

	// The draws land on the campaign's own code, an archived campaign's
	// and an active one's before a fresh one.
	active := f.campaign(campaignOpts{private: true})
	draws := []string{"424242", archived.campaign.JoinCode, active.campaign.JoinCode, "515151", "424242", "616161"}
	o.SetJoinCodeDraw(func() (string, error) {
		code := draws[0]
		draws = draws[1:]
		return code, nil
	})
	got, err := o.NewJoinCode(ctx, "424242")
	if err != nil {
		t.Fatal(err)
	}
	if got.JoinCode != "515151" || got.OldJoinCode != "424242" || got.ID != created.CampaignID || got.Volunteers != 1 {
		t.Fatalf("NewJoinCode = %+v; want 515151 for the campaign (its 1 volunteer kept), after 424242", got)
	}

	// The old code joins nobody, in the words of a code no campaign had.
	_, err = sam.Join(ctx, "424242")
	old := wantAPIError(t, err, http.StatusNotFound, api.CodeCampaignUnknown)
	_, err = sam.Join(ctx, "434343")
	never := wantAPIError(t, err, http.StatusNotFound, api.CodeCampaignUnknown)
	if strings.ReplaceAll(old.Err.Message, "424242", "434343") != never.Err.Message {
		t.Fatalf("the retired code's refusal %q differs from a never-used code's %q: it tells a stranger the code existed", old.Err.Message, never.Err.Message)
	}
	// Vera keeps the campaign, and her app hears the new code.
	sync, err := vera.Sync(ctx, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	heard := ""
	for _, c := range sync.Changes {
		if c.Kind == api.KindCampaign && c.ID == created.CampaignID {
			var camp api.Campaign
			if err := json.Unmarshal(c.Data, &camp); err != nil {
				t.Fatal(err)
			}
			heard = camp.JoinCode
		}
	}
	if heard != "515151" {
		t.Fatalf("vera's sync has the campaign with code %q, want 515151", heard)
	}
	if _, err := sam.Join(ctx, "515151"); err != nil {
		t.Fatalf("join with the new code: %v", err)
	}

	// generate never draws the retired code.
	res, err = o.CreateCampaign(ctx, parseFile(t, `
organization: Test Org
campaign: {name: Another, join_code: generate, admins: [admin@example.org]}
actions:
  - title: Calls
    scripts: ["Hi {first_name}"]
`))
	if err != nil || res.JoinCode != "616161" {
		t.Fatalf("a generated code after the new code: %+v, %v; want 616161, not the retired 424242", res, err)
	}
}
