package server_test

// Every answer of the API holds what it tells one user alone (contacts'
// names and numbers, conversations, a sign-in's token): none may be kept
// by a cache between the app and the server (a reverse proxy an operator
// set up to cache, a corporate one) and handed to the next to ask, and
// none is to be read as anything but what its Content-Type says.

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

func TestAnswersAreNeverCached(t *testing.T) {
	f := newFixture(t)
	cf := f.campaign(campaignOpts{contacts: 3, numbers: 1})
	c, _ := f.member("kept", cf)
	token := f.token(c)
	if _, err := c.Batch(context.Background(), cf.action.ID); err != nil {
		t.Fatal(err)
	}
	h := f.srv.Handler()
	admin := strings.Replace(api.PathAdmin, "{id}", cf.campaign.ID, 1)
	batches := strings.Replace(api.PathBatches, "{id}", cf.action.ID, 1)
	for _, tc := range []struct {
		name, method, path, token string
		body                      any
		status                    int
	}{
		{"sign-in", "POST", api.PathLogin, "", api.LoginRequest{Email: "nobody@example.org", Password: "wrong password"}, http.StatusUnauthorized},
		{"sign-up", "POST", api.PathSignup, "", api.SignupRequest{Name: "New Person", Email: "new.person@example.org", Password: "correct horse battery"}, http.StatusCreated},
		{"who am I", "GET", api.PathMe, token, nil, http.StatusOK},
		{"sync", "GET", api.PathSync, token, nil, http.StatusOK},
		{"a batch held", "POST", batches, token, struct{}{}, http.StatusOK},
		{"campaign search", "GET", api.PathCampaigns, token, nil, http.StatusOK},
		{"no token", "GET", api.PathSync, "", nil, http.StatusUnauthorized},
		{"a volunteer at the admin section", "GET", admin, token, nil, http.StatusForbidden},
		{"no such endpoint", "GET", "/api/v1/nothing-here", token, nil, http.StatusNotFound},
		{"wrong method", "DELETE", api.PathMe, token, nil, http.StatusMethodNotAllowed},
		{"health", "GET", api.PathHealth, "", nil, http.StatusOK},
	} {
		rec := rawRequest(t, h, tc.method, tc.path, "192.0.2.10:4000", "", tc.token, tc.body)
		if rec.Code != tc.status {
			t.Errorf("%s: %s %s answered %d, want %d: %s", tc.name, tc.method, tc.path, rec.Code, tc.status, rec.Body)
			continue
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: %s %s answered with Cache-Control %q, want no-store", tc.name, tc.method, tc.path, got)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: %s %s answered with X-Content-Type-Options %q, want nosniff", tc.name, tc.method, tc.path, got)
		}
	}
}
