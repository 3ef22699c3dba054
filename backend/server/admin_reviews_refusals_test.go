package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// contains says whether raw has every one of words.
func contains(raw []byte, words ...string) bool {
	for _, w := range words {
		if !bytes.Contains(raw, []byte(w)) {
			return false
		}
	}
	return true
}

// TestReviewAndOptBackInRefusals: bad input gets a clear error and changes
// nothing; volunteers and another organization's admin are refused, and a
// report or opt-in of another campaign is 404 as an unknown one. A START
// taken back (STOP again) or a number another START already opted back in
// is 409.
func TestReviewAndOptBackInRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	other := f.campaign(campaignOpts{contacts: 2, numbers: 1}) // same organization, also Ann's
	reportID, optInID, _, a, from := reportedAndOptedIn(t, f, cf)
	theirReport, theirOptIn, _, _, _ := reportedAndOptedIn(t, f, other)
	admin := f.adminClient()
	tok := f.token(admin)
	vol, _ := f.member("vic", cf)
	mal, malUser := f.user("mallory")
	malCamp := store.Campaign{ID: uuid.NewString(), OrganizationID: "org-mallory", Name: "Elsewhere", JoinCode: "777002", Active: true, CreatedAt: baseTime}
	f.update(func(tx store.Tx) error {
		if err := tx.CreateOrganization(ctx, store.Organization{ID: "org-mallory", Name: "Elsewhere", CreatedAt: baseTime}); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, malCamp); err != nil {
			return err
		}
		_, err := tx.AddMembership(ctx, store.Membership{CampaignID: malCamp.ID, UserID: malUser.ID, Role: store.RoleAdmin, CreatedAt: baseTime})
		return err
	})
	// A second START from the opted-in contact: a second opt-in of the same
	// number, lifted below by the first.
	replyFrom(t, f, a[1], from, "unstop")
	ov, err := admin.AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.OptIns) != 2 {
		t.Fatalf("opt-ins %+v, %v: want two", ov.OptIns, err)
	}
	secondOptIn := ov.OptIns[0].ID

	base := func(campaignID string) string { return "/api/v1/campaigns/" + campaignID + "/admin/" }
	report := func(campaignID, id string) string { return base(campaignID) + "abuse-reports/" + id + "/reviewed" }
	optIn := func(campaignID, id string) string { return base(campaignID) + "opt-ins/" + id + "/reviewed" }
	backIn := func(campaignID, id string) string { return base(campaignID) + "opt-ins/" + id + "/opt-back-in" }
	yes := `{"reviewed": true}`
	c := cf.campaign.ID
	type refusal struct {
		name, method, path, token, body string
		status                          int
		code, words                     string
	}
	var cases []refusal
	for _, k := range []struct {
		kind, field string
		path        func(string, string) string
		mine, their string
		noSuch      string
	}{
		{"report", "reportId", report, reportID, theirReport, "no such abuse report in this campaign"},
		{"opt-in", "optInId", optIn, optInID, theirOptIn, "no such opt-in in this campaign"},
	} {
		cases = append(cases,
			refusal{k.kind + ": no body", "PUT", k.path(c, k.mine), tok, "", 400, api.CodeBadRequest, "request body is empty"},
			refusal{k.kind + ": not JSON", "PUT", k.path(c, k.mine), tok, "reviewed=yes", 400, api.CodeBadRequest, "not valid JSON"},
			refusal{k.kind + ": no reviewed field", "PUT", k.path(c, k.mine), tok, `{"handled": true}`, 400, api.CodeInvalidField, `"reviewed": true`},
			refusal{k.kind + ": reviewed not a boolean", "PUT", k.path(c, k.mine), tok, `{"reviewed": "yes"}`, 400, api.CodeInvalidField, "reviewed must be true or false, not text"},
			refusal{k.kind + ": reviewed null", "PUT", k.path(c, k.mine), tok, `{"reviewed": null}`, 400, api.CodeInvalidField, `"reviewed": true`},
			refusal{k.kind + ": unknown", "PUT", k.path(c, uuid.NewString()), tok, yes, 404, api.CodeNotFound, k.noSuch},
			refusal{k.kind + ": another campaign's", "PUT", k.path(c, k.their), tok, yes, 404, api.CodeNotFound, k.noSuch},
			refusal{k.kind + ": overlong id", "PUT", k.path(c, strings.Repeat("x", 101)), tok, yes, 400, api.CodeInvalidField, "longer than 100"},
			refusal{k.kind + ": unknown campaign", "PUT", k.path(uuid.NewString(), k.mine), tok, yes, 403, api.CodeForbidden, "only the campaign's admins"},
			refusal{k.kind + ": no sign-in", "PUT", k.path(c, k.mine), "", yes, 401, api.CodeUnauthorized, "sign in first"},
			refusal{k.kind + ": a volunteer", "PUT", k.path(c, k.mine), f.token(vol), yes, 403, api.CodeForbidden, "only the campaign's admins"},
			refusal{k.kind + ": another org's admin", "PUT", k.path(c, k.mine), f.token(mal), yes, 403, api.CodeForbidden, "only the campaign's admins"},
			refusal{k.kind + ": another org's admin, by their campaign", "PUT", k.path(malCamp.ID, k.mine), f.token(mal), yes, 404, api.CodeNotFound, k.noSuch},
			refusal{k.kind + ": POST", "POST", k.path(c, k.mine), tok, yes, 405, "method_not_allowed", "use PUT"},
		)
	}
	cases = append(cases,
		refusal{"a volunteer lists reviewed reports", "GET", base(c) + "abuse-reports/reviewed", f.token(vol), "", 403, api.CodeForbidden, "only the campaign's admins"},
		refusal{"another org's admin lists reviewed opt-ins", "GET", base(c) + "opt-ins/reviewed", f.token(mal), "", 403, api.CodeForbidden, "only the campaign's admins"},
		refusal{"opt back in: unknown", "POST", backIn(c, uuid.NewString()), tok, "", 404, api.CodeNotFound, "no such opt-in in this campaign"},
		refusal{"opt back in: another campaign's", "POST", backIn(c, theirOptIn), tok, "", 404, api.CodeNotFound, "no such opt-in in this campaign"},
		refusal{"opt back in: a report's id", "POST", backIn(c, reportID), tok, "", 404, api.CodeNotFound, "no such opt-in in this campaign"},
		refusal{"opt back in: overlong id", "POST", backIn(c, strings.Repeat("x", 101)), tok, "", 400, api.CodeInvalidField, "longer than 100"},
		refusal{"opt back in: a volunteer", "POST", backIn(c, optInID), f.token(vol), "", 403, api.CodeForbidden, "only the campaign's admins"},
		refusal{"opt back in: another org's admin", "POST", backIn(c, optInID), f.token(mal), "", 403, api.CodeForbidden, "only the campaign's admins"},
		refusal{"opt back in: another org's admin, by their campaign", "POST", backIn(malCamp.ID, optInID), f.token(mal), "", 404, api.CodeNotFound, "no such opt-in"},
		refusal{"opt back in: no sign-in", "POST", backIn(c, optInID), "", "", 401, api.CodeUnauthorized, "sign in first"},
		refusal{"opt back in: PUT", "PUT", backIn(c, optInID), tok, "", 405, "method_not_allowed", "use POST"},
	)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var body any
			if tt.body != "" {
				body = tt.body
			}
			status, raw := f.raw(tt.method, tt.path, tt.token, body)
			var eb api.ErrorBody
			_ = json.Unmarshal(raw, &eb)
			if status != tt.status || eb.Error.Code != tt.code || !strings.Contains(eb.Error.Message, tt.words) {
				t.Fatalf("%s %s = %d %s, want %d %s saying %q", tt.method, tt.path, status, raw, tt.status, tt.code, tt.words)
			}
		})
	}
	// Nothing was marked or lifted, in either campaign.
	unchanged := func() {
		t.Helper()
		for _, camp := range []campaignFix{cf, other} {
			ov, err := admin.AdminOverview(ctx, camp.campaign.ID)
			if err != nil || len(ov.AbuseReports) != 1 || ov.AbuseReportsReviewed != 0 || len(ov.OptIns) == 0 || ov.OptInsReviewed != 0 {
				t.Fatalf("overview of %s after the refusals: %+v, %v; want every row open", camp.campaign.Name, ov, err)
			}
			for _, o := range ov.OptIns {
				if !o.OptedOut || o.OptedBackInAt != nil {
					t.Fatalf("opt-in %+v lifted by a refusal", o)
				}
			}
		}
	}
	unchanged()

	// STOP again after START: the opt-out stands, nothing changes.
	replyFrom(t, f, a[1], from, "STOP")
	status, raw := f.raw("POST", backIn(c, optInID), tok, nil)
	if status != 409 || !contains(raw, api.CodeOptedOutAgain, a[1].Phone+" opted out again after texting START: the opt-out stands") {
		t.Fatalf("opt back in on a START taken back = %d %s, want 409 %s", status, raw, api.CodeOptedOutAgain)
	}
	unchanged()

	// START again: the newest opt-in lifts it; then the older one has
	// nothing left to lift.
	replyFrom(t, f, a[1], from, "START")
	ov, err = admin.AdminOverview(ctx, c)
	if err != nil || len(ov.OptIns) != 3 {
		t.Fatalf("opt-ins %+v, %v: want three", ov.OptIns, err)
	}
	if o, err := admin.OptBackIn(ctx, c, ov.OptIns[0].ID); err != nil || o.OptedOut {
		t.Fatalf("opt back in on the newest START: %+v, %v", o, err)
	}
	status, raw = f.raw("POST", backIn(c, secondOptIn), tok, nil)
	if status != 409 || !contains(raw, api.CodeNotOptedOut, a[1].Phone+" is not opted out any more") {
		t.Fatalf("opt back in on a number opted in already = %d %s, want 409 %s", status, raw, api.CodeNotOptedOut)
	}
	if o, err := admin.SetOptInReviewed(ctx, c, secondOptIn, false); err != nil || o.ReviewedAt != nil || o.OptedBackInAt != nil {
		t.Fatalf("the refused opt-in after the 409 %+v, %v: want it open, not lifted", o, err)
	}
}
