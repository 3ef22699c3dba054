package client_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms/simnet"
)

func TestSignUpBadInput(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	cases := []struct {
		name, user, email, password, wantInMessage string
	}{
		{"empty name", "  ", "new@example.org", "long enough", "name"},
		{"empty email", "Vi", "", "long enough", "email"},
		{"malformed email", "Vi", "vi@", "long enough", "not an email address"},
		{"email without dotted domain", "Vi", "vi@localhost", "long enough", "not an email address"},
		{"short password", "Vi", "vi@example.org", "short", "at least 8 characters"},
		{"email taken (server)", "Vi", demo.VolunteerEmail, "long enough", "already exists"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.SignUp(ctx, tc.user, tc.email, tc.password)
			if err == nil || !strings.Contains(err.Error(), tc.wantInMessage) {
				t.Fatalf("got %v, want a message containing %q", err, tc.wantInMessage)
			}
			if st := c.Status(ctx); st.SignedIn {
				t.Fatal("signed in after a failed sign-up")
			}
		})
	}
	t.Run("good sign-up signs in", func(t *testing.T) {
		u, err := c.SignUp(ctx, " Vi Volunteer ", "VI@example.org", "long enough")
		if err != nil {
			t.Fatal(err)
		}
		st := c.Status(ctx)
		if !st.SignedIn || st.User == nil || st.User.ID != u.ID || u.Email != "vi@example.org" {
			t.Fatalf("status %+v user %+v", st, u)
		}
	})
}

func TestSignInErrors(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	cases := []struct{ name, email, password, want string }{
		{"wrong password", demo.VolunteerEmail, "not the password", ""},
		{"unknown email", "nobody@example.org", "whatever1", ""},
		{"empty password", demo.VolunteerEmail, "", "password is required"},
		{"bad email", "nope", "whatever1", "not an email address"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.SignIn(ctx, tc.email, tc.password)
			if err == nil {
				t.Fatal("signed in")
			}
			if tc.want != "" && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("message %q lacks %q", err, tc.want)
			}
			if tc.want == "" && !api.IsCode(err, api.CodeBadCredentials) {
				t.Fatalf("want bad_credentials from the server, got %v", err)
			}
			if c.Status(ctx).SignedIn {
				t.Fatal("signed in")
			}
		})
	}
}

func TestUnreachableServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	c, _ := newClient(t, url, t.TempDir())
	_, err = c.SignIn(context.Background(), "vi@example.org", "whatever1")
	if !errors.Is(err, api.ErrUnreachable) || !strings.Contains(err.Error(), "cannot reach the campaign server at "+url) {
		t.Fatalf("got %v", err)
	}
}

func TestNeedsSignIn(t *testing.T) {
	c, _ := newClient(t, "http://127.0.0.1:1", t.TempDir())
	ctx := context.Background()
	if _, err := c.JoinCampaign(ctx, "123456"); err == nil || !strings.Contains(err.Error(), "sign in") {
		t.Fatalf("join signed out: %v", err)
	}
	if err := c.SendInitial(ctx, "a", "b"); err == nil {
		t.Fatal("send signed out")
	}
	// Reads work signed out (empty).
	if cs, err := c.Campaigns(ctx); err != nil || len(cs) != 0 {
		t.Fatalf("campaigns %v %v", cs, err)
	}
	if _, err := c.Threads(ctx, "starred", "", "", 0, 10); err == nil || !strings.Contains(err.Error(), "starred") {
		t.Fatalf("bad filter: %v", err)
	}
}

func TestJoinErrors(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, code, want string }{
		{"too short", "12345", "exactly 6 digits"},
		{"letters", "12a456", "exactly 6 digits"},
		{"empty", "", "enter the join code your campaign gave you"},
		{"unknown code", "999999", "999999"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.JoinCampaign(ctx, tc.code)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if cs, _ := c.Campaigns(ctx); len(cs) != 0 {
				t.Fatalf("campaigns after a failed join: %+v", cs)
			}
		})
	}
}

// After 10 wrong join codes the server refuses more for a while; the
// volunteer reads what to do, on the code box and in search alike, and
// searching by name still works.
func TestJoinCodeGuessesThrottled(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		code := fmt.Sprintf("99999%d", i)
		if code == demo.JoinCode {
			code = "999990"
		}
		if _, err := c.JoinCampaign(ctx, code); !api.IsCode(err, api.CodeCampaignUnknown) {
			t.Fatalf("wrong code %d: %v, want campaign_not_found", i+1, err)
		}
	}
	const want = "Too many join codes tried; wait 15 minutes and try again"
	if _, err := c.JoinCampaign(ctx, demo.JoinCode); err == nil || err.Error() != want {
		t.Fatalf("11th code: %v, want %q", err, want)
	}
	if _, err := c.SearchCampaigns(ctx, demo.JoinCode); err == nil || err.Error() != want {
		t.Fatalf("search by code: %v, want %q", err, want)
	}
	if found, err := c.SearchCampaigns(ctx, "Demo"); err != nil || len(found) == 0 {
		t.Fatalf("search by name: %v %v, want the demo campaign", found, err)
	}
	if cs, _ := c.Campaigns(ctx); len(cs) != 0 {
		t.Fatalf("campaigns after refused joins: %+v", cs)
	}
}

// Signing in again after signing out must return with the campaigns already
// cached, or the window would open on the join screen.
func TestSignInLoadsCampaignsBeforeReturning(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	signInAndJoin(t, c)
	if err := c.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	if cs, _ := c.Campaigns(ctx); len(cs) != 0 {
		t.Fatalf("campaigns survived sign-out: %+v", cs)
	}
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	cs, err := c.Campaigns(ctx)
	if err != nil || len(cs) != 1 || cs[0].JoinCode != demo.JoinCode {
		t.Fatalf("campaigns right after sign-in: %+v %v", cs, err)
	}
	if as, err := c.Actions(ctx, cs[0].ID); err != nil || len(as) == 0 {
		t.Fatalf("actions right after sign-in: %+v %v", as, err)
	}
}

// The join screen's demo hint, and the sign-in screen's demo accounts,
// come from Status, signed in or not.
func TestStatusCarriesDemoJoinCode(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	c := started(t, client.Config{DataDir: t.TempDir(), ServerURL: inst.URL, Log: zerolog.Nop(),
		Demo: true, DemoJoinCode: demo.JoinCode, PollInterval: time.Hour,
		DemoSignIns: []client.DemoSignIn{{Who: "volunteer", Email: demo.VolunteerEmail, Password: demo.VolunteerPassword}}})
	// The sign-in screen names the demo's accounts (signed out is when it is needed).
	if st := c.Status(ctx); !st.Demo || st.DemoJoinCode != demo.JoinCode || st.SignedIn ||
		len(st.DemoSignIns) != 1 || st.DemoSignIns[0].Email != demo.VolunteerEmail {
		t.Fatalf("signed out status %+v", st)
	}
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	if st := c.Status(ctx); st.DemoJoinCode != demo.JoinCode || !st.SignedIn {
		t.Fatalf("signed in status %+v", st)
	}
}
