package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
)

const (
	oldPassword = "correct horse battery" // f.user's
	newPassword = "a brand new passphrase 7"
)

// TestSetPasswordSignsOutEverywhere: an organizer gives a volunteer who
// forgot their password a new one (textbankd users password); every
// computer signed in as them must sign in again, with the new password
// only. Refused passwords and unknown emails change nothing.
func TestSetPasswordSignsOutEverywhere(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	laptop, u := f.user("pat")
	desktop := f.login(u.Email, oldPassword)
	_, bystander := f.user("sam")
	org := f.organizer(f.reopen()) // the command line is another process

	for _, bad := range []struct{ password, want string }{
		{"short", "password must be at least"},
		{"password1234", "password"},
		{"pat-" + "x", "at least"},
	} {
		if _, err := org.SetPassword(ctx, u.Email, bad.password); err == nil || !strings.Contains(err.Error(), bad.want) ||
			!strings.Contains(err.Error(), "not changed") {
			t.Errorf("SetPassword(%q): %v; want a refusal naming %q", bad.password, err, bad.want)
		}
	}
	if _, err := org.SetPassword(ctx, "nobody@example.org", newPassword); err == nil || !strings.Contains(err.Error(), "no account has email nobody@example.org") {
		t.Errorf("SetPassword of no account: %v", err)
	}
	for _, c := range []*api.Client{laptop, desktop} {
		if _, err := c.Me(ctx); err != nil {
			t.Fatalf("a refused new password signed someone out: %v", err)
		}
	}

	n, err := org.SetPassword(ctx, "  "+strings.ToUpper(u.Email)+" ", newPassword)
	if err != nil || n != 2 {
		t.Fatalf("SetPassword = %d, %v; want 2 sign-ins ended", n, err)
	}
	// A server that has not cached the tokens (another server, or this one
	// within half a minute) refuses them, and the old password.
	other := f.freshServer()
	for name, c := range map[string]*api.Client{"laptop": laptop, "desktop": desktop} {
		c2 := api.NewClient(other.URL, other.Client())
		c2.SetToken(f.token(c))
		if _, err := c2.Me(ctx); !isStatus(err, http.StatusUnauthorized) {
			t.Errorf("the %s's old sign-in after a new password: %v, want 401", name, err)
		}
	}
	lc := api.NewClient(other.URL, other.Client())
	if _, err := lc.Login(ctx, api.LoginRequest{Email: u.Email, Password: oldPassword}); !isStatus(err, http.StatusUnauthorized) {
		t.Errorf("sign-in with the old password: %v, want 401", err)
	}
	if _, err := lc.Login(ctx, api.LoginRequest{Email: u.Email, Password: newPassword}); err != nil {
		t.Errorf("sign-in with the new password: %v", err)
	}
	if _, err := lc.Login(ctx, api.LoginRequest{Email: bystander.Email, Password: oldPassword}); err != nil {
		t.Errorf("another account's password changed: %v", err)
	}
}

// TestSignOutEverywhere: a lost laptop (textbankd users sign-out) ends
// every sign-in of the account and keeps its password.
func TestSignOutEverywhere(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	laptop, u := f.user("lee")
	org := f.organizer(f.reopen())
	// The running server has the laptop's sign-in in memory, and watches
	// for other processes' writes as serve does.
	if _, err := laptop.Me(ctx); err != nil {
		t.Fatal(err)
	}
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go f.srv.WatchFeed(wctx, 20*time.Millisecond)
	// A sign-out before the watcher has read where the database stands
	// would be its starting point, not a change it notices.
	waitFeedWatched(t, f.srv)
	if _, err := org.SignOutEverywhere(ctx, "nobody@example.org"); err == nil || !strings.Contains(err.Error(), "no account has email") {
		t.Errorf("SignOutEverywhere of no account: %v", err)
	}
	if n, err := org.SignOutEverywhere(ctx, u.Email); err != nil || n != 1 {
		t.Fatalf("SignOutEverywhere = %d, %v; want 1", n, err)
	}
	if n, err := org.SignOutEverywhere(ctx, u.Email); err != nil || n != 0 {
		t.Fatalf("SignOutEverywhere again = %d, %v; want 0", n, err)
	}
	other := f.freshServer()
	c := api.NewClient(other.URL, other.Client())
	c.SetToken(f.token(laptop))
	if _, err := c.Me(ctx); !isStatus(err, http.StatusUnauthorized) {
		t.Errorf("the laptop's sign-in after sign-out everywhere: %v, want 401", err)
	}
	if _, err := c.Login(ctx, api.LoginRequest{Email: u.Email, Password: oldPassword}); err != nil {
		t.Errorf("the password changed: %v", err)
	}
	// The running server forgets the cached token within a look or two of
	// its feed watcher: on PostgreSQL the change is announced, on SQLite
	// the watcher sees another process wrote (before, it took the token
	// cache's 30 s).
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := laptop.Me(ctx)
		if isStatus(err, http.StatusUnauthorized) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the running server still takes the laptop's sign-in: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// login signs in as email and returns a client holding the new token.
func (f *fixture) login(email, password string) *api.Client {
	f.t.Helper()
	c := api.NewClient(f.ts.URL, f.ts.Client())
	res, err := c.Login(context.Background(), api.LoginRequest{Email: email, Password: password})
	if err != nil {
		f.t.Fatalf("login %s: %v", email, err)
	}
	c.SetToken(res.Token)
	f.tokens[c] = res.Token
	return c
}

// freshServer is a second server on the fixture's database, with nothing
// cached: what another server, or this one restarted, sees.
func (f *fixture) freshServer() *httptest.Server {
	f.t.Helper()
	st := f.reopen()
	srv, err := server.New(server.Config{Store: st, Provider: f.net, Now: f.clock.Now, BcryptCost: bcrypt.MinCost, SignupsPerHour: 1000})
	if err != nil {
		f.t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	f.t.Cleanup(func() { ts.Close(); srv.Close(); st.Close() })
	return ts
}

func isStatus(err error, status int) bool {
	var ae *api.APIError
	return errors.As(err, &ae) && ae.Status == status
}
