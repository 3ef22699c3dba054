package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// strangerTexts has n strangers text the campaign's number, a second apart,
// and returns the texts' ids, newest first (as the Admin section lists them).
func strangerTexts(t *testing.T, f *fixture, cf campaignFix, n int) []string {
	t.Helper()
	ctx := context.Background()
	var number string
	f.view(func(tx store.Tx) error {
		nums, err := tx.ListSendingNumbers(ctx, cf.campaign.ID)
		if err == nil && len(nums) > 0 {
			number = nums[0].Phone
		}
		return err
	})
	for i := range n {
		f.clock.Advance(time.Second)
		if err := f.srv.Receive(ctx, sms.Inbound{ProviderID: uuid.NewString(), From: fmt.Sprintf("+1312555%04d", i), To: number,
			Body: fmt.Sprintf("who is this? (%d)", i), ReceivedAt: f.clock.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	ov, err := f.adminClient().AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.Unroutable) != n {
		t.Fatalf("overview %+v, %v: want %d unroutable texts", ov.Unroutable, err, n)
	}
	ids := make([]string, n)
	for i, u := range ov.Unroutable {
		ids[i] = u.ID
	}
	return ids
}

// TestMarkUnroutableHandled: an admin marks an unroutable text handled; the
// overview leaves it out of its list and counts it, the handled list has it
// with who and when, marking it again changes nothing, and marking it open
// again brings it back. Nothing is ever deleted.
func TestMarkUnroutableHandled(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	ids := strangerTexts(t, f, cf, 3)
	admin := f.adminClient()

	f.clock.Advance(time.Minute)
	markedAt := f.clock.Now().UTC()
	u, err := admin.SetUnroutableHandled(ctx, cf.campaign.ID, ids[1], true)
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != ids[1] || u.HandledBy != "Ann Admin" || u.HandledAt == nil || !u.HandledAt.Equal(markedAt) || u.Body != "who is this? (1)" {
		t.Fatalf("marked text %+v, want it handled by Ann Admin at %v", u, markedAt)
	}
	ov, err := admin.AdminOverview(ctx, cf.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ov.Unroutable) != 2 || ov.Unroutable[0].ID != ids[0] || ov.Unroutable[1].ID != ids[2] || ov.UnroutableHandled != 1 {
		t.Fatalf("overview lists %+v and counts %d handled, want the two open ones and 1", ov.Unroutable, ov.UnroutableHandled)
	}
	for _, o := range ov.Unroutable {
		if o.HandledAt != nil || o.HandledBy != "" {
			t.Fatalf("an open text says it was handled: %+v", o)
		}
	}
	// Marking it again, later, keeps the first mark.
	f.clock.Advance(time.Minute)
	if again, err := admin.SetUnroutableHandled(ctx, cf.campaign.ID, ids[1], true); err != nil || !again.HandledAt.Equal(markedAt) {
		t.Fatalf("marked twice: %+v, %v; want the first mark kept", again, err)
	}
	handled, err := admin.HandledUnroutable(ctx, cf.campaign.ID)
	if err != nil || len(handled) != 1 || handled[0].ID != ids[1] || handled[0].HandledBy != "Ann Admin" || !handled[0].HandledAt.Equal(markedAt) {
		t.Fatalf("handled list %+v, %v: want the one marked, with who and when", handled, err)
	}
	// Open again: back in the list, none handled.
	if open, err := admin.SetUnroutableHandled(ctx, cf.campaign.ID, ids[1], false); err != nil || open.HandledAt != nil || open.HandledBy != "" {
		t.Fatalf("marked open: %+v, %v", open, err)
	}
	ov, err = admin.AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.Unroutable) != 3 || ov.UnroutableHandled != 0 {
		t.Fatalf("overview after marking open: %+v, %v", ov, err)
	}
	if handled, err := admin.HandledUnroutable(ctx, cf.campaign.ID); err != nil || handled == nil || len(handled) != 0 {
		t.Fatalf("handled list after marking open: %#v, %v; want an empty list", handled, err)
	}
}

// TestUnroutableHandledFromTheCommandLine: a text marked with textbankd
// unroutable handle (no account: handled_by NULL) is counted and listed as
// handled, read as handled from the command line, by no admin; an admin
// can open it again.
func TestUnroutableHandledFromTheCommandLine(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	ids := strangerTexts(t, f, cf, 2)
	admin := f.adminClient()
	at := f.clock.Now().UTC().Add(time.Minute)
	f.update(func(tx store.Tx) error { return tx.SetMarked(ctx, store.UnroutableMarks, ids[0], true, "", at) })
	ov, err := admin.AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.Unroutable) != 1 || ov.Unroutable[0].ID != ids[1] || ov.UnroutableHandled != 1 {
		t.Fatalf("overview %+v, %v: want the other text open and 1 handled", ov, err)
	}
	if o := ov.Unroutable[0]; o.HandledAt != nil || o.HandledFromCommandLine {
		t.Fatalf("the open text says it was handled: %+v", o)
	}
	handled, err := admin.HandledUnroutable(ctx, cf.campaign.ID)
	if err != nil || len(handled) != 1 {
		t.Fatalf("handled list %+v, %v", handled, err)
	}
	if h := handled[0]; h.ID != ids[0] || h.HandledAt == nil || !h.HandledAt.Equal(at) || h.HandledBy != "" || !h.HandledFromCommandLine {
		t.Fatalf("handled text %+v, want handled from the command line at %v, by no admin", h, at)
	}
	if open, err := admin.SetUnroutableHandled(ctx, cf.campaign.ID, ids[0], false); err != nil || open.HandledAt != nil || open.HandledFromCommandLine {
		t.Fatalf("opened again by an admin: %+v, %v", open, err)
	}
}

// TestMarkUnroutableHandledRefusals: bad input gets a clear error and
// changes nothing; volunteers and another organization's admin are refused,
// and a text of another campaign is 404 as an unknown one, whoever asks.
func TestMarkUnroutableHandledRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	other := f.campaign(campaignOpts{contacts: 1, numbers: 1}) // same organization, also Ann's
	ids := strangerTexts(t, f, cf, 1)
	theirs := strangerTexts(t, f, other, 1)
	admin := f.adminClient()
	tok := f.token(admin)
	vol, _ := f.member("vera", cf)

	// Mallory is an admin of another organization's campaign.
	mal, malUser := f.user("mallory")
	malCamp := store.Campaign{ID: uuid.NewString(), OrganizationID: "org-mallory", Name: "Elsewhere", JoinCode: "777001",
		Active: true, CreatedAt: baseTime}
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

	path := func(campaignID, textID string) string {
		return "/api/v1/campaigns/" + campaignID + "/admin/unroutable/" + textID + "/handled"
	}
	yes := `{"handled": true}`
	for _, tt := range []struct {
		name, method, path, token, body string
		status                          int
		code, words                     string
	}{
		{"no body", "PUT", path(cf.campaign.ID, ids[0]), tok, "", 400, api.CodeBadRequest, "request body is empty"},
		{"not JSON", "PUT", path(cf.campaign.ID, ids[0]), tok, "handled=yes", 400, api.CodeBadRequest, "not valid JSON"},
		{"no handled field", "PUT", path(cf.campaign.ID, ids[0]), tok, `{}`, 400, api.CodeInvalidField, `"handled": true`},
		{"handled not a boolean", "PUT", path(cf.campaign.ID, ids[0]), tok, `{"handled": "yes"}`, 400, api.CodeInvalidField, "handled must be true or false, not text"},
		{"handled null", "PUT", path(cf.campaign.ID, ids[0]), tok, `{"handled": null}`, 400, api.CodeInvalidField, `"handled": true`},
		{"unknown text", "PUT", path(cf.campaign.ID, uuid.NewString()), tok, yes, 404, api.CodeNotFound, "no such unroutable text in this campaign"},
		{"another campaign's text", "PUT", path(cf.campaign.ID, theirs[0]), tok, yes, 404, api.CodeNotFound, "no such unroutable text"},
		{"overlong text id", "PUT", path(cf.campaign.ID, strings.Repeat("x", 101)), tok, yes, 400, api.CodeInvalidField, "longer than 100"},
		{"unknown campaign", "PUT", path(uuid.NewString(), ids[0]), tok, yes, 403, api.CodeForbidden, "only the campaign's admins"},
		{"no sign-in", "PUT", path(cf.campaign.ID, ids[0]), "", yes, 401, api.CodeUnauthorized, "sign in first"},
		{"a volunteer", "PUT", path(cf.campaign.ID, ids[0]), f.token(vol), yes, 403, api.CodeForbidden, "only the campaign's admins"},
		{"a volunteer lists handled", "GET", "/api/v1/campaigns/" + cf.campaign.ID + "/admin/unroutable/handled", f.token(vol), "", 403, api.CodeForbidden, "only the campaign's admins"},
		{"another org's admin", "PUT", path(cf.campaign.ID, ids[0]), f.token(mal), yes, 403, api.CodeForbidden, "only the campaign's admins"},
		{"another org's admin, by their campaign", "PUT", path(malCamp.ID, ids[0]), f.token(mal), yes, 404, api.CodeNotFound, "no such unroutable text"},
		{"another org's admin lists handled", "GET", "/api/v1/campaigns/" + cf.campaign.ID + "/admin/unroutable/handled", f.token(mal), "", 403, api.CodeForbidden, "only the campaign's admins"},
		{"POST", "POST", path(cf.campaign.ID, ids[0]), tok, yes, 405, "method_not_allowed", "use PUT"},
	} {
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
	// Nothing was marked, in either campaign.
	for _, c := range []campaignFix{cf, other} {
		ov, err := admin.AdminOverview(ctx, c.campaign.ID)
		if err != nil || len(ov.Unroutable) != 1 || ov.UnroutableHandled != 0 {
			t.Fatalf("overview of %s after the refusals: %+v, %v; want its text still open", c.campaign.Name, ov, err)
		}
	}
}
