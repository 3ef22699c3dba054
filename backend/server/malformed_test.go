package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// TestMalformedBodiesAreRefusedInWords: every endpoint that reads a body
// (Text Again reads none), sent one over the 1 MiB limit, one that is not
// JSON, one of the wrong shape or one nested past reason, answers 4xx with
// the JSON error body (a message in words), never 500, and sends nothing.
func TestMalformedBodiesAreRefusedInWords(t *testing.T) {
	f := newFixture(t)
	cf, c, _, _ := f.texting("vera", campaignOpts{contacts: 2, numbers: 1})
	tok := f.token(c)
	routes := []struct{ path, token string }{
		{"/api/v1/signup", ""},
		{"/api/v1/login", ""},
		{"/api/v1/campaigns/join", tok},
		{"/api/v1/actions/" + cf.action.ID + "/release", tok},
		{"/api/v1/mutations", tok},
	}
	bodies := []struct {
		name   string
		body   string
		status int
	}{
		{"over 1 MiB", `{"name": "` + strings.Repeat("a", 1<<20) + `"}`, http.StatusRequestEntityTooLarge},
		{"not JSON", "name=vera&password=x", http.StatusBadRequest},
		{"cut short", `{"mutations": [`, http.StatusBadRequest},
		{"an array", `[]`, http.StatusBadRequest},
		{"a string", `"hello"`, http.StatusBadRequest},
		{"wrong field types", `{"email": 5, "password": [], "code": {}, "campaignId": 1, "contactIds": "x", "mutations": "x"}`, 0},
		{"nested deep", strings.Repeat("[", 100_000), http.StatusBadRequest},
		{"invalid UTF-8 in a string", "{\"email\": \"\xff\xfe@example.org\", \"code\": \"\xff\", \"contactIds\": [\"\xff\"], \"mutations\": [{\"id\": \"\xff\"}]}", 0},
	}
	for _, rt := range routes {
		for _, b := range bodies {
			t.Run(rt.path+" "+b.name, func(t *testing.T) {
				status, raw := f.raw("POST", rt.path, rt.token, b.body)
				var eb api.ErrorBody
				_ = json.Unmarshal(raw, &eb)
				// 0: anything but a 5xx (Go reads invalid UTF-8 as U+FFFD,
				// so a route may find a field wrong, or a mutation to reject,
				// rather than the body; a wrong type is the body's fault on
				// one route, a field's on another).
				if (b.status != 0 && status != b.status) || status >= 500 || (status >= 400 && eb.Error.Message == "") {
					t.Fatalf("= %d %s, want %d", status, raw, b.status)
				}
			})
		}
	}
	// Nothing was signed up, joined, handed out or sent.
	if n := len(f.sent()); n != 0 {
		t.Fatalf("%d texts went out", n)
	}
}

// TestMalformedQueriesAndHeaders: query strings and headers an attacker
// writes are answered in words, never 500: repeated and overlong
// parameters, percent-encoding that does not decode, ids that are not ids,
// a bearer token of 64 KiB.
func TestMalformedQueriesAndHeaders(t *testing.T) {
	f := newFixture(t)
	c, _ := f.user("vera")
	tok := f.token(c)
	tests := []struct {
		method, path, token string
		status              int
	}{
		{"GET", "/api/v1/sync?cursor=1&cursor=abc", tok, http.StatusOK}, // the first counts, as Go reads a query
		{"GET", "/api/v1/sync?cursor=-5", tok, http.StatusBadRequest},
		{"GET", "/api/v1/sync?cursor=99999999999999999999999", tok, http.StatusBadRequest},
		{"GET", "/api/v1/sync?limit=-1", tok, http.StatusBadRequest},
		{"GET", "/api/v1/sync?limit=1e9", tok, http.StatusBadRequest},
		{"GET", "/api/v1/sync?cursor=%zz", tok, http.StatusOK}, // Go drops a parameter that does not decode
		{"GET", "/api/v1/campaigns?q=" + strings.Repeat("x", 5000), tok, http.StatusBadRequest},
		{"GET", "/api/v1/campaigns?q=%25%5F%5C", tok, http.StatusOK}, // LIKE wildcards are text
		{"GET", "/api/v1/actions/" + strings.Repeat("a", 4000) + "/reassign-targets", tok, http.StatusNotFound},
		{"GET", "/api/v1/actions/%27%20OR%201%3D1--/reassign-targets", tok, http.StatusNotFound},
		{"GET", "/api/v1/campaigns/%27%20OR%201%3D1--/admin", tok, http.StatusForbidden},
		{"POST", "/api/v1/actions/..%2F..%2Fsignup/batches", tok, http.StatusNotFound},
		{"GET", "/api/v1/me", strings.Repeat("t", 64<<10), http.StatusUnauthorized},
		{"GET", "/api/v1/me", "' OR 1=1--", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		name := tt.method + " " + tt.path
		if len(name) > 80 {
			name = name[:80]
		}
		t.Run(name, func(t *testing.T) {
			status, raw := f.raw(tt.method, tt.path, tt.token, "{}")
			if status != tt.status {
				t.Fatalf("= %d %s, want %d", status, raw, tt.status)
			}
			if status >= 400 {
				var eb api.ErrorBody
				mustJSON(t, raw, &eb)
				if eb.Error.Message == "" {
					t.Fatalf("no message: %s", raw)
				}
				if strings.Contains(eb.Error.Message, "sql") || strings.Contains(eb.Error.Message, "SQL") {
					t.Fatalf("the message tells of the database: %q", eb.Error.Message)
				}
			}
		})
	}
}
