package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

func TestErrorsFromStatus(t *testing.T) {
	cases := []struct {
		name        string
		status      int
		body        string
		wantCode    string
		wantMessage string
	}{
		{"unknown join code", 404, `{"error":{"code":"campaign_not_found","message":"No active campaign has join code 999999","field":"code"}}`,
			api.CodeCampaignUnknown, "No active campaign has join code 999999"},
		{"bad credentials", 401, `{"error":{"code":"bad_credentials","message":"Wrong email or password"}}`,
			api.CodeBadCredentials, "Wrong email or password"},
		{"invalid field", 400, `{"error":{"code":"invalid_field","message":"Email is not valid","field":"email"}}`,
			api.CodeInvalidField, "Email is not valid"},
		{"proxy html page", 502, `<html>bad gateway</html>`, api.CodeInternal, "campaign server answered 502 Bad Gateway"},
		{"empty 401", 401, ``, api.CodeUnauthorized, "campaign server answered 401 Unauthorized"},
		{"json without message", 400, `{"error":{}}`, api.CodeBadRequest, "campaign server answered 400 Bad Request"},
		{"busy", 503, `{"error":{"code":"server_busy","message":"the campaign server is too busy"}}`, api.CodeServerBusy, "The campaign server is still busy after 3 tries. Try again in a minute."},
		{"proxy's bare 503", 503, ``, api.CodeInternal, "campaign server answered 503 Service Unavailable"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			c := api.NewClient(srv.URL, srv.Client())
			_, err := c.Join(context.Background(), "999999")
			var ae *api.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("want *api.APIError, got %T %v", err, err)
			}
			if ae.Status != tc.status || ae.Err.Code != tc.wantCode || err.Error() != tc.wantMessage {
				t.Fatalf("got status %d code %q message %q", ae.Status, ae.Err.Code, err.Error())
			}
			if !api.IsCode(err, tc.wantCode) {
				t.Fatalf("IsCode(%q) false", tc.wantCode)
			}
			if errors.Is(err, api.ErrUnreachable) {
				t.Fatal("a server answer must not look unreachable")
			}
			// Only our server's 503 server_busy is the typed busy error.
			if busy := tc.wantCode == api.CodeServerBusy; errors.Is(err, api.ErrServerBusy) != busy {
				t.Fatalf("errors.Is(err, api.ErrServerBusy) = %v, want %v", !busy, busy)
			}
		})
	}
}

// A 429 reads as what to do: our server's words and code as they are; a
// proxy's bare one as a request limit (too_many_requests, the push limit's
// "slow down"), never the sign-in throttle's too_many_attempts, with its
// Retry-After kept in seconds or as a date.
func TestTooManyAttempts(t *testing.T) {
	soon := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	cases := []struct {
		name, body, retryAfter, code, want string
		wait                               time.Duration
	}{
		{"ours", `{"error":{"code":"too_many_attempts","message":"Too many join codes tried; wait 15 minutes and try again"}}`, "900",
			api.CodeTooManyAttempts, "Too many join codes tried; wait 15 minutes and try again", 900 * time.Second},
		{"bare, in seconds", ``, "120", api.CodeTooManyRequests,
			"the campaign server asked Textbank to slow down; try again in 2 minutes", 120 * time.Second},
		{"bare, a few seconds", ``, "30", api.CodeTooManyRequests,
			"the campaign server asked Textbank to slow down; try again in 30 seconds", 30 * time.Second},
		{"bare, no header", `<html>slow down</html>`, "", api.CodeTooManyRequests,
			"the campaign server asked Textbank to slow down; try again in a few minutes", 0},
		{"bare, a date", ``, soon, api.CodeTooManyRequests,
			"the campaign server asked Textbank to slow down; try again in 2 minutes", 90 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			_, err := api.NewClient(srv.URL, srv.Client()).Join(context.Background(), "999999")
			if err == nil || err.Error() != tc.want || !api.IsCode(err, tc.code) {
				t.Fatalf("got %v, want %s %q", err, tc.code, tc.want)
			}
			var ae *api.APIError
			// A date is read against the clock: allow the test's own seconds.
			if !errors.As(err, &ae) || ae.RetryAfter > tc.wait || ae.RetryAfter < tc.wait-5*time.Second {
				t.Fatalf("Retry-After read as %v, want %v", ae.RetryAfter, tc.wait)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	// A port that was just listening and is now closed.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	c := api.NewClient(url, &http.Client{Timeout: 2 * time.Second})
	_, err = c.Login(context.Background(), api.LoginRequest{Email: "a@b.c", Password: "x"})
	if !errors.Is(err, api.ErrUnreachable) {
		t.Fatalf("want ErrUnreachable, got %v", err)
	}
	if !strings.HasPrefix(err.Error(), "cannot reach the campaign server at "+url+": ") {
		t.Fatalf("message %q does not name the server", err.Error())
	}
}

func TestCancelledIsNotUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := api.NewClient(srv.URL, srv.Client()).Me(ctx)
	if !errors.Is(err, context.Canceled) || errors.Is(err, api.ErrUnreachable) {
		t.Fatalf("want context.Canceled only, got %v", err)
	}
}

// A server that stops answering (the network dropped under an open
// connection) runs a call into its deadline: that is the server being
// unreachable, in the words the window turns into plain ones, not
// "context deadline exceeded".
func TestDeadlineIsUnreachable(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := api.NewClient(srv.URL, srv.Client()).Me(ctx)
	if !errors.Is(err, api.ErrUnreachable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want ErrUnreachable wrapping the deadline, got %v", err)
	}
	if !strings.HasPrefix(err.Error(), "cannot reach the campaign server at "+srv.URL+": ") {
		t.Fatalf("message %q does not name the server as unreachable", err.Error())
	}
}

func TestRequests(t *testing.T) {
	type seen struct{ method, path, query, auth, body string }
	var got seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		buf := make([]byte, 4096)
		n, _ := r.Body.Read(buf)
		b.Write(buf[:n])
		got = seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), b.String()}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/sync":
			_, _ = w.Write([]byte(`{"changes":[{"version":3,"kind":"thread","id":"t1","deleted":true}],"cursor":3,"more":true}`))
		case "/api/v1/mutations":
			_, _ = w.Write([]byte(`{"results":[{"id":"m1","status":"rejected","code":"opted_out","reason":"Opted out"}]}`))
		default:
			_, _ = w.Write([]byte(`{}`))
		}
	}))
	defer srv.Close()
	c := api.NewClient(srv.URL+"/", srv.Client())
	c.SetToken("tok")
	ctx := context.Background()

	t.Run("sync", func(t *testing.T) {
		resp, err := c.Sync(ctx, 7, 2)
		if err != nil {
			t.Fatal(err)
		}
		if got.method != "GET" || got.path != "/api/v1/sync" || got.query != "cursor=7&limit=2" || got.auth != "Bearer tok" {
			t.Fatalf("request %+v", got)
		}
		if resp.Cursor != 3 || !resp.More || len(resp.Changes) != 1 || !resp.Changes[0].Deleted {
			t.Fatalf("response %+v", resp)
		}
	})
	t.Run("mutations", func(t *testing.T) {
		resp, err := c.PushMutations(ctx, []api.Mutation{{ID: "m1", Type: api.MutRead}})
		if err != nil {
			t.Fatal(err)
		}
		var req api.MutationsRequest
		if err := json.Unmarshal([]byte(got.body), &req); err != nil || len(req.Mutations) != 1 || req.Mutations[0].ID != "m1" {
			t.Fatalf("body %q: %v", got.body, err)
		}
		if resp.Results[0].Code != api.RejectOptedOut {
			t.Fatalf("response %+v", resp)
		}
	})
	t.Run("batch escapes the id", func(t *testing.T) {
		if _, err := c.Batch(ctx, "a/b"); err != nil {
			t.Fatal(err)
		}
		if got.method != "POST" || got.path != "/api/v1/actions/a/b/batches" {
			t.Fatalf("request %+v", got)
		}
	})
	t.Run("search escapes the query", func(t *testing.T) {
		if _, err := c.SearchCampaigns(ctx, "vote & win"); err != nil {
			t.Fatal(err)
		}
		if got.query != "q=vote+%26+win" {
			t.Fatalf("query %q", got.query)
		}
	})
	t.Run("join by id", func(t *testing.T) {
		if _, err := c.JoinByID(ctx, "c1"); err != nil {
			t.Fatal(err)
		}
		if got.path != "/api/v1/campaigns/join" || !strings.Contains(got.body, `"campaignId":"c1"`) {
			t.Fatalf("request %+v", got)
		}
	})
}

// A server that answers without end (a hostile one, a broken proxy) gets
// a garbled answer once past the cap, naming it, not the app's memory, and
// not "offline".
func TestAnswerWithoutEndIsCut(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"token": "`)
		chunk := []byte(strings.Repeat("a", 1<<16))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer ts.Close()
	c := api.NewClient(ts.URL, ts.Client())
	_, err := c.Login(context.Background(), api.LoginRequest{Email: "a@b.c", Password: "x"})
	if !errors.Is(err, api.ErrGarbled) || errors.Is(err, api.ErrUnreachable) {
		t.Fatalf("want a garbled answer, got %v", err)
	}
	if !strings.Contains(err.Error(), "larger than 64 MB") {
		t.Fatalf("%q does not say the answer was too large", err.Error())
	}
}
