package server

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// TestClientCallsEveryRoute: each call of api.Client, made to the server on
// loopback, reaches one of the server's routes with that route's method
// (not the 404 or 405 answers of a path or method it lacks), and each
// route is reached by a call: a route added, renamed or given another
// method on one side only fails here. The calls carry no token, so each
// is answered before it reads or changes anything.
func TestClientCallsEveryRoute(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := New(Config{Store: st, Provider: simnet.New(simnet.Config{}, zerolog.Nop()), Log: zerolog.Nop(), BcryptCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The pattern the server's mux matched, which it sets on the request
	// it serves: "METHOD path" for a route, a bare path or "/" for the
	// answers of a method or a path it lacks.
	matched := make(chan string, 1)
	h := s.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		matched <- r.Pattern
	}))
	defer srv.Close()
	c := api.NewClient(srv.URL, nil)

	calls := map[string]func(context.Context) error{
		"Signup": func(ctx context.Context) error { _, err := c.Signup(ctx, api.SignupRequest{}); return err },
		"Login":  func(ctx context.Context) error { _, err := c.Login(ctx, api.LoginRequest{}); return err },
		"Me":     func(ctx context.Context) error { _, err := c.Me(ctx); return err },
		"Rename": func(ctx context.Context) error { _, err := c.Rename(ctx, "Vera"); return err },
		"ChangePassword": func(ctx context.Context) error {
			_, err := c.ChangePassword(ctx, api.PasswordChangeRequest{})
			return err
		},
		"Logout":          func(ctx context.Context) error { return c.Logout(ctx) },
		"SearchCampaigns": func(ctx context.Context) error { _, err := c.SearchCampaigns(ctx, "x"); return err },
		"Join":            func(ctx context.Context) error { _, err := c.Join(ctx, "123456"); return err },
		"JoinByID":        func(ctx context.Context) error { _, err := c.JoinByID(ctx, "c1"); return err },
		"Batch":           func(ctx context.Context) error { _, err := c.Batch(ctx, "a1"); return err },
		"Release":         func(ctx context.Context) error { _, err := c.Release(ctx, "a1", nil); return err },
		"Contacts":        func(ctx context.Context) error { _, err := c.Contacts(ctx, []string{"t1"}); return err },
		"Sync":            func(ctx context.Context) error { _, err := c.Sync(ctx, 0, 1); return err },
		"PushMutations":   func(ctx context.Context) error { _, err := c.PushMutations(ctx, nil); return err },
		"ReassignTargets": func(ctx context.Context) error { _, err := c.ReassignTargets(ctx, "a1"); return err },
		"Events":          func(ctx context.Context) error { return c.Events(ctx, func(api.Event) {}) },
		"Stream":          func(ctx context.Context) error { return c.Stream(ctx, nil, func(api.Event) {}) },
		"AdminOverview":   func(ctx context.Context) error { _, err := c.AdminOverview(ctx, "c1"); return err },
		"AdminThread":     func(ctx context.Context) error { _, err := c.AdminThread(ctx, "c1", "t1"); return err },
		"EarlierTexts":    func(ctx context.Context) error { _, err := c.EarlierTexts(ctx, "c1", "t1", "m1"); return err },
		"AdminOptOuts":    func(ctx context.Context) error { _, err := c.AdminOptOuts(ctx, "c1", ""); return err },
		"AdminResults":    func(ctx context.Context) error { _, err := c.AdminResults(ctx, "c1"); return err },
		"HandledUnroutable": func(ctx context.Context) error {
			_, err := c.HandledUnroutable(ctx, "c1")
			return err
		},
		"SetUnroutableHandled": func(ctx context.Context) error {
			_, err := c.SetUnroutableHandled(ctx, "c1", "x1", true)
			return err
		},
		"ReviewedAbuseReports": func(ctx context.Context) error {
			_, err := c.ReviewedAbuseReports(ctx, "c1")
			return err
		},
		"SetAbuseReportReviewed": func(ctx context.Context) error {
			_, err := c.SetAbuseReportReviewed(ctx, "c1", "r1", true)
			return err
		},
		"ReviewedOptIns":   func(ctx context.Context) error { _, err := c.ReviewedOptIns(ctx, "c1"); return err },
		"SetOptInReviewed": func(ctx context.Context) error { _, err := c.SetOptInReviewed(ctx, "c1", "o1", true); return err },
		"OptBackIn":        func(ctx context.Context) error { _, err := c.OptBackIn(ctx, "c1", "o1"); return err },
		"UndoOptOut":       func(ctx context.Context) error { _, err := c.UndoOptOut(ctx, "c1", "t1", time.Now()); return err },
	}
	// Every call of the Client's (a method taking a context) is in calls.
	ct := reflect.TypeOf(c)
	for i := range ct.NumMethod() {
		m := ct.Method(i)
		if m.Type.NumIn() > 1 && m.Type.In(1) == reflect.TypeFor[context.Context]() && calls[m.Name] == nil {
			t.Errorf("api.Client.%s calls the server, and this test does not: add it to calls", m.Name)
		}
	}

	routes := map[string]bool{} // "METHOD path" -> reached by a call
	for _, rt := range s.routes() {
		routes[rt.method+" "+rt.path] = false
	}
	for _, name := range slices.Sorted(maps.Keys(calls)) {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := calls[name](cctx)
		cancel()
		var pattern string
		select {
		case pattern = <-matched:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: the server was not asked (%v)", name, err)
		}
		if _, ok := routes[pattern]; !ok {
			t.Errorf("%s reached no route of the server's (matched %q): %v", name, pattern, err)
			continue
		}
		routes[pattern] = true
	}
	// Asked without a Client: by the app's About (Settings.ServerVersion)
	// and the load test, each with api.PathHealth.
	routes[http.MethodGet+" "+api.PathHealth] = true
	for pattern, reached := range routes {
		if !reached {
			t.Errorf("no call of api.Client reaches the server's route %s", pattern)
		}
	}

	// A mark list's row id is read from its path by the name in it.
	for name, l := range s.markLists() {
		if !strings.Contains(l.rowPath, "{"+l.param+"}") {
			t.Errorf("mark list %s reads its row id as %q, which %s does not name", name, l.param, l.rowPath)
		}
	}
}
