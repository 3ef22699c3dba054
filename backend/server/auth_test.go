package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

func countUsers(f *fixture) int {
	var n int
	f.view(func(tx store.Tx) error {
		var err error
		n, err = tx.CountUsers(context.Background())
		return err
	})
	return n
}

func TestSignupRejectsBadInput(t *testing.T) {
	f := newFixture(t)
	if _, err := api.NewClient(f.ts.URL, nil).Signup(context.Background(),
		api.SignupRequest{Name: "Taken", Email: "taken@example.org", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	before := countUsers(f)
	tests := []struct {
		name   string
		body   any
		status int
		code   string
		field  string
	}{
		{"empty name", api.SignupRequest{Name: "", Email: "a@example.org", Password: "correct horse battery"}, 400, api.CodeInvalidField, "name"},
		{"blank name", api.SignupRequest{Name: "   ", Email: "a@example.org", Password: "correct horse battery"}, 400, api.CodeInvalidField, "name"},
		{"long name", api.SignupRequest{Name: strings.Repeat("n", 201), Email: "a@example.org", Password: "correct horse battery"}, 400, api.CodeInvalidField, "name"},
		{"empty email", api.SignupRequest{Name: "Ann", Email: "", Password: "correct horse battery"}, 400, api.CodeInvalidField, "email"},
		{"email without at", api.SignupRequest{Name: "Ann", Email: "ann.example.org", Password: "correct horse battery"}, 400, api.CodeInvalidField, "email"},
		{"email without dotted domain", api.SignupRequest{Name: "Ann", Email: "ann@localhost", Password: "correct horse battery"}, 400, api.CodeInvalidField, "email"},
		{"email with display name", api.SignupRequest{Name: "Ann", Email: "Ann <ann@example.org>", Password: "correct horse battery"}, 400, api.CodeInvalidField, "email"},
		{"email with space", api.SignupRequest{Name: "Ann", Email: "ann smith@example.org", Password: "correct horse battery"}, 400, api.CodeInvalidField, "email"},
		{"empty password", api.SignupRequest{Name: "Ann", Email: "a@example.org", Password: ""}, 400, api.CodeInvalidField, "password"},
		{"short password", api.SignupRequest{Name: "Ann", Email: "a@example.org", Password: "1234567"}, 400, api.CodeInvalidField, "password"},
		{"password over 72 bytes", api.SignupRequest{Name: "Ann", Email: "a@example.org", Password: strings.Repeat("p", 73)}, 400, api.CodeInvalidField, "password"},
		{"duplicate email", api.SignupRequest{Name: "Ann", Email: "taken@example.org", Password: "correct horse battery"}, 409, api.CodeEmailTaken, "email"},
		{"duplicate email other case", api.SignupRequest{Name: "Ann", Email: " TAKEN@Example.org ", Password: "correct horse battery"}, 409, api.CodeEmailTaken, "email"},
		{"not json", "name=Ann", 400, api.CodeBadRequest, ""},
		{"empty body", "", 400, api.CodeBadRequest, ""},
		{"json array", "[]", 400, api.CodeBadRequest, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.raw("POST", "/api/v1/signup", "", tc.body)
			if status != tc.status {
				t.Fatalf("status = %d, want %d (%s)", status, tc.status, body)
			}
			var eb api.ErrorBody
			if err := json.Unmarshal(body, &eb); err != nil {
				t.Fatalf("error body %s: %v", body, err)
			}
			if eb.Error.Code != tc.code || eb.Error.Field != tc.field || eb.Error.Message == "" {
				t.Fatalf("error = %+v, want code %s field %q and a message", eb.Error, tc.code, tc.field)
			}
			if n := countUsers(f); n != before {
				t.Fatalf("users = %d after a rejected signup, want %d", n, before)
			}
		})
	}
}

func TestSignupLoginMe(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := api.NewClient(f.ts.URL, nil)
	res, err := c.Signup(ctx, api.SignupRequest{Name: " Vera Volunteer ", Email: "Vera@Example.org", Password: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Token == "" || res.User.Name != "Vera Volunteer" || res.User.Email != "vera@example.org" {
		t.Fatalf("signup = %+v", res)
	}
	c.SetToken(res.Token)
	me, err := c.Me(ctx)
	if err != nil || me.ID != res.User.ID {
		t.Fatalf("me = %+v, %v", me, err)
	}

	tests := []struct {
		name   string
		req    api.LoginRequest
		status int
		code   string
		words  string // the refusal's words, where they are the account rules'
	}{
		{"right password", api.LoginRequest{Email: "vera@example.org", Password: "correct horse"}, 200, "", ""},
		{"email in other case", api.LoginRequest{Email: "VERA@example.org", Password: "correct horse"}, 200, "", ""},
		{"wrong password", api.LoginRequest{Email: "vera@example.org", Password: "wrong horse"}, 401, api.CodeBadCredentials, ""},
		{"unknown email", api.LoginRequest{Email: "nobody@example.org", Password: "correct horse"}, 401, api.CodeBadCredentials, ""},
		// A malformed email is a wrong one: sign-in tells nobody which
		// addresses could hold an account.
		{"malformed email", api.LoginRequest{Email: "vera@example", Password: "correct horse"}, 401, api.CodeBadCredentials, ""},
		{"empty email", api.LoginRequest{Email: " ", Password: "correct horse"}, 400, api.CodeInvalidField, account.EmailProblem("")},
		{"empty password", api.LoginRequest{Email: "vera@example.org"}, 400, api.CodeInvalidField, account.PasswordMissing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lc := api.NewClient(f.ts.URL, nil)
			got, err := lc.Login(ctx, tc.req)
			if tc.status == 200 {
				if err != nil {
					t.Fatal(err)
				}
				lc.SetToken(got.Token)
				if me, err := lc.Me(ctx); err != nil || me.ID != res.User.ID {
					t.Fatalf("me with login token = %+v, %v", me, err)
				}
				return
			}
			wantAPIError(t, err, tc.status, tc.code)
			if tc.words != "" && !strings.Contains(err.Error(), tc.words) {
				t.Fatalf("refusal %q, want the account rules' words %q", err, tc.words)
			}
		})
	}
}

func TestAuthRequired(t *testing.T) {
	f := newFixture(t)
	routes := []struct{ method, path string }{
		{"GET", "/api/v1/me"},
		{"GET", "/api/v1/campaigns?q=x"},
		{"POST", "/api/v1/campaigns/join"},
		{"POST", "/api/v1/actions/some-id/batches"},
		{"POST", "/api/v1/actions/some-id/release"},
		{"GET", "/api/v1/sync?cursor=0"},
		{"POST", "/api/v1/mutations"},
		{"GET", "/api/v1/events"},
	}
	headers := []struct{ name, value string }{
		{"no header", ""},
		{"unknown token", "Bearer not-a-real-token"},
		{"basic auth", "Basic dXNlcjpwYXNz"},
		{"empty bearer", "Bearer "},
	}
	for _, rt := range routes {
		for _, h := range headers {
			t.Run(rt.method+" "+rt.path+" "+h.name, func(t *testing.T) {
				req, _ := http.NewRequest(rt.method, f.ts.URL+rt.path, strings.NewReader("{}"))
				if h.value != "" {
					req.Header.Set("Authorization", h.value)
				}
				resp, err := f.ts.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var eb api.ErrorBody
				if err := json.NewDecoder(resp.Body).Decode(&eb); err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode != 401 || eb.Error.Code != api.CodeUnauthorized {
					t.Fatalf("= %d %+v, want 401 unauthorized", resp.StatusCode, eb.Error)
				}
			})
		}
	}
}

func TestUnknownRouteAndMethod(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, method, path string
		status             int
	}{
		{"unknown path", "GET", "/api/v1/nope", 404},
		{"wrong method", "GET", "/api/v1/signup", 405},
		{"health", "GET", "/healthz", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := f.raw(tc.method, tc.path, "", nil)
			if status != tc.status {
				t.Fatalf("status = %d, want %d (%s)", status, tc.status, body)
			}
			if !json.Valid(body) {
				t.Fatalf("body is not JSON: %s", body)
			}
		})
	}
}
