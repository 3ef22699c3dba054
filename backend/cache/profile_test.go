package cache_test

import (
	"context"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
)

// TestApplyProfile: a profile in a sync page (the account renamed on
// another computer) becomes the session's user, the token and server as
// they were; one naming another account is left aside; one that does not
// hold together fails the page, which then changes nothing.
func TestApplyProfile(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	signedIn := cache.Session{Token: "tok", User: api.User{ID: "u1", Name: "Vi", Email: "vi@example.org"}, ServerURL: "http://127.0.0.1:1"}
	if err := c.SaveSession(ctx, signedIn); err != nil {
		t.Fatal(err)
	}
	session := func() cache.Session {
		s, ok, err := c.LoadSession(ctx)
		if err != nil || !ok {
			t.Fatalf("session %v %v", ok, err)
		}
		return s
	}
	apply(t, c, change(t, 1, api.KindProfile, "u2", api.User{ID: "u2", Name: "Someone Else"}))
	if got := session(); got != signedIn {
		t.Fatalf("another account's profile changed the session to %+v", got)
	}
	for _, bad := range []api.Change{
		change(t, 2, api.KindProfile, "u1", api.User{ID: "u9", Name: "Vi Other"}),
		change(t, 2, api.KindProfile, "u1", api.User{ID: "u1"}),
		{Version: 2, Kind: api.KindProfile, ID: "u1", Data: []byte(`"Vi"`)},
	} {
		_, err := c.ApplyPage(ctx, api.SyncResponse{Changes: []api.Change{bad}, Cursor: 2})
		if err == nil || !strings.Contains(err.Error(), "profile") {
			t.Fatalf("profile %s applied (%v), want an error naming the profile", bad.Data, err)
		}
		if got := session(); got != signedIn {
			t.Fatalf("a refused profile changed the session to %+v", got)
		}
	}
	res := apply(t, c, change(t, 3, api.KindProfile, "u1", api.User{ID: "u1", Name: "Violet Vance", Email: "vi@example.org"}))
	want := signedIn
	want.User.Name = "Violet Vance"
	if got := session(); got != want || res.Applied != 1 {
		t.Fatalf("session after the rename %+v (applied %d), want %+v", got, res.Applied, want)
	}
}

// TestSaveSessionUserKeepsToItsAccount: a rename's answer stores the new
// name in the session it was asked for, never in another account's
// session signed in while the answer came back.
func TestSaveSessionUserKeepsToItsAccount(t *testing.T) {
	ctx := context.Background()
	c := open(t)
	if err := c.SaveSessionUser(ctx, api.User{ID: "u1", Name: "Vi Late"}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.LoadSession(ctx); ok || err != nil {
		t.Fatalf("signed out, a rename's answer made a session (%v %v)", ok, err)
	}
	other := cache.Session{Token: "tok2", User: api.User{ID: "u2", Name: "Bo", Email: "bo@example.org"}, ServerURL: "http://127.0.0.1:1"}
	if err := c.SaveSession(ctx, other); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveSessionUser(ctx, api.User{ID: "u1", Name: "Vi Late", Email: "vi@example.org"}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := c.LoadSession(ctx); got != other {
		t.Fatalf("another account's rename changed the session to %+v", got)
	}
	if err := c.SaveSessionUser(ctx, api.User{ID: "u2", Name: "Bo Renamed", Email: "bo@example.org"}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := c.LoadSession(ctx); got.User.Name != "Bo Renamed" || got.Token != "tok2" {
		t.Fatalf("the account's own rename: session %+v", got)
	}
}
