package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
)

// authedRoutes are every route that needs a token, with ids of things the
// token's user could reach while it was valid.
func authedRoutes(cf campaignFix) []struct{ method, path string } {
	return []struct{ method, path string }{
		{"GET", "/api/v1/me"},
		{"GET", "/api/v1/campaigns?q="},
		{"POST", "/api/v1/campaigns/join"},
		{"POST", "/api/v1/actions/" + cf.action.ID + "/batches"},
		{"POST", "/api/v1/actions/" + cf.action.ID + "/release"},
		{"GET", "/api/v1/actions/" + cf.action.ID + "/reassign-targets"},
		{"GET", "/api/v1/campaigns/" + cf.campaign.ID + "/admin"},
		{"GET", "/api/v1/sync?cursor=0"},
		{"POST", "/api/v1/mutations"},
		{"GET", "/api/v1/events"},
		{"POST", "/api/v1/logout"},
	}
}

// TestSignedOutAndExpiredTokensOpenNothing: a token signed out, or past 30
// days unused, opens no route at all (not only /me), even for a user who
// holds conversations; a mutation it carries changes nothing.
func TestSignedOutAndExpiredTokensOpenNothing(t *testing.T) {
	for _, how := range []string{"signed out", "expired"} {
		t.Run(how, func(t *testing.T) {
			f := newFixtureWith(t, fixtureOpts{tokenIdle: time.Hour})
			cf, c, _, b := f.texting("vera", campaignOpts{contacts: 2, numbers: 1})
			res, _ := sendInitial(t, c, b.Assigned[0].ContactID)
			wantApplied(t, res)
			tok := f.token(c)
			want := api.CodeUnauthorized
			if how == "signed out" {
				if err := c.Logout(context.Background()); err != nil {
					t.Fatal(err)
				}
			} else {
				f.clock.Advance(time.Hour + time.Second)
				want = api.CodeSessionExpired // the first request says why; the token is then gone
			}
			mut := api.MutationsRequest{Mutations: []api.Mutation{{ID: uuid.NewString(), Type: api.MutReply, CreatedAt: baseTime,
				ThreadID: b.Assigned[0].ContactID, MessageID: uuid.NewString(), Body: "sent with a dead token"}}}
			for _, rt := range authedRoutes(cf) {
				var body any = map[string]string{"code": cf.campaign.JoinCode}
				if rt.path == "/api/v1/mutations" {
					body = mut
				}
				status, raw := f.raw(rt.method, rt.path, tok, body)
				var eb api.ErrorBody
				mustJSON(t, raw, &eb)
				if status != http.StatusUnauthorized || eb.Error.Code != want {
					t.Errorf("%s %s with a token %s: %d %s, want 401 %s", rt.method, rt.path, how, status, eb.Error.Code, want)
				}
				want = api.CodeUnauthorized
			}
			if n := len(f.sent()); n != 1 {
				t.Fatalf("%d texts went out, want only the first one (the reply carried a dead token)", n)
			}
		})
	}
}

// TestRemovedAdminLosesTheAdminSection: an admin made a volunteer again
// (textbankd admin remove) keeps their session, but from the next request
// on the Admin section answers 403 and no conversation can be handed to
// them.
func TestRemovedAdminLosesTheAdminSection(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	c, u := f.member("ada", cf)
	o := f.organizer(f.st)
	if _, err := o.AddAdmin(ctx, u.Email, cf.campaign.JoinCode); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminOverview(ctx, cf.campaign.ID); err != nil {
		t.Fatalf("as admin: %v", err)
	}
	if _, err := o.RemoveAdmin(ctx, u.Email, cf.campaign.JoinCode); err != nil {
		t.Fatal(err)
	}
	_, err := c.AdminOverview(ctx, cf.campaign.ID)
	wantAPIError(t, err, http.StatusForbidden, api.CodeForbidden)
	targets, err := c.ReassignTargets(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range targets {
		if x.ID == u.ID {
			t.Fatalf("the removed admin is still a reassign target: %+v", targets)
		}
	}
	v, _ := f.member("val", cf)
	bt, err := v.Batch(ctx, cf.action.ID)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := sendInitial(t, v, bt.Assigned[0].ContactID)
	wantApplied(t, res)
	wantRejected(t, push(t, v, api.Mutation{ID: uuid.NewString(), Type: api.MutReassign, ThreadID: bt.Assigned[0].ContactID, ToUserID: u.ID}), api.RejectInvalid)
}
