package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestRename: a volunteer renames themself; the first text after carries
// the new name (the server's cached sign-in held the old one), one the app
// rendered with the old name is refused as script_changed with the new
// text, and a bad name is refused with nothing changed.
func TestRename(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, c, u, b := f.texting("vera", campaignOpts{contacts: 3, numbers: 1})
	// A first text under the old name, so the sign-in is cached.
	res, _ := sendInitial(t, c, b.Assigned[0].ContactID)
	wantApplied(t, res)
	for _, bad := range []string{"", "   ", strings.Repeat("x", 300)} {
		_, err := c.Rename(ctx, bad)
		if ae := wantAPIError(t, err, http.StatusBadRequest, api.CodeInvalidField); ae.Err.Field != "name" {
			t.Fatalf("rename to %q refused naming %q, want name", bad, ae.Err.Field)
		}
	}
	before, err := c.Sync(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	bystander, _ := f.member("walt", f.campaign(campaignOpts{name: "Walt's", numbers: 1}))
	seen, err := bystander.Sync(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Rename(ctx, "  Veronica Lake ")
	if err != nil || got.Name != "Veronica Lake" || got.ID != u.ID || got.Email != u.Email {
		t.Fatalf("rename: %+v %v", got, err)
	}
	// The account's computers are told in their feed; nobody else's is.
	// (The first text's record as sent may come in the same page.)
	profiles := func(c *api.Client, cursor int64) []string {
		t.Helper()
		page, err := c.Sync(ctx, cursor, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ch := range page.Changes {
			if ch.Kind == api.KindProfile {
				got = append(got, ch.ID+" "+string(ch.Data))
			}
		}
		return got
	}
	if got := profiles(c, before.Cursor); len(got) != 1 || !strings.HasPrefix(got[0], u.ID+" ") || !strings.Contains(got[0], `"name":"Veronica Lake"`) {
		t.Fatalf("profiles in the sync after the rename: %q, want the account with the new name", got)
	}
	if got := profiles(bystander, seen.Cursor); len(got) != 0 {
		t.Fatalf("profiles in another volunteer's sync after the rename: %q, want none", got)
	}
	if me, err := c.Me(ctx); err != nil || me.Name != "Veronica Lake" {
		t.Fatalf("me after the rename: %+v %v", me, err)
	}
	old := push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ContactID: b.Assigned[1].ContactID,
		MessageID: uuid.NewString(), Body: "Hi Contact1, it's vera. Will you vote?"})
	wantRejected(t, old, api.RejectScriptChanged)
	if old.Body != "Hi Contact1, it's Veronica. Will you vote?" {
		t.Fatalf("script_changed carries %q, want the text with the new name", old.Body)
	}
	res, _ = sendInitial(t, c, b.Assigned[2].ContactID)
	wantApplied(t, res)
	f.drain()
	sent := f.sent()
	if len(sent) != 2 || !strings.Contains(sent[0].Body, "it's vera") || !strings.Contains(sent[1].Body, "it's Veronica") {
		t.Fatalf("sent %+v, want the first text as vera, the one after the rename as Veronica", sent)
	}
}

// TestPasswordChange: the current password is checked (a wrong one is
// refused, counts as a wrong sign-in, and changes nothing), the new one
// held to the sign-up's rules; the account's other sign-ins end, the one
// asking stays; the new password signs in, the old one no longer.
func TestPasswordChange(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c, u := f.user("pat")
	laptop := api.NewClient(f.ts.URL, f.ts.Client())
	lres, err := laptop.Login(ctx, api.LoginRequest{Email: u.Email, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	laptop.SetToken(lres.Token)
	for _, tc := range []struct {
		req    api.PasswordChangeRequest
		status int
		code   string
		field  string
	}{
		{api.PasswordChangeRequest{NewPassword: "a brand new passphrase"}, http.StatusBadRequest, api.CodeInvalidField, "currentPassword"},
		{api.PasswordChangeRequest{CurrentPassword: "correct horse battery", NewPassword: "short"}, http.StatusBadRequest, api.CodeInvalidField, "newPassword"},
		{api.PasswordChangeRequest{CurrentPassword: "wrong horse", NewPassword: "a brand new passphrase"}, http.StatusForbidden, api.CodeBadCredentials, "currentPassword"},
	} {
		_, err := c.ChangePassword(ctx, tc.req)
		if ae := wantAPIError(t, err, tc.status, tc.code); ae.Err.Field != tc.field {
			t.Fatalf("%+v refused naming %q, want %q", tc.req, ae.Err.Field, tc.field)
		}
	}
	// Nothing changed: both sign-ins still work, the old password too.
	if _, err := laptop.Me(ctx); err != nil {
		t.Fatalf("laptop after refused changes: %v", err)
	}
	res, err := c.ChangePassword(ctx, api.PasswordChangeRequest{CurrentPassword: "correct horse battery", NewPassword: "a brand new passphrase"})
	if err != nil || res.SignedOut != 1 {
		t.Fatalf("change: %+v %v, want the laptop signed out", res, err)
	}
	if me, err := c.Me(ctx); err != nil || me.ID != u.ID {
		t.Fatalf("the sign-in that changed it: %+v %v, want still signed in", me, err)
	}
	_, err = laptop.Me(ctx)
	wantAPIError(t, err, http.StatusUnauthorized, api.CodeUnauthorized)
	_, err = laptop.Login(ctx, api.LoginRequest{Email: u.Email, Password: "correct horse battery"})
	wantAPIError(t, err, http.StatusUnauthorized, api.CodeBadCredentials)
	if _, err := laptop.Login(ctx, api.LoginRequest{Email: u.Email, Password: "a brand new passphrase"}); err != nil {
		t.Fatalf("sign-in with the new password: %v", err)
	}
	var stored store.User
	f.view(func(tx store.Tx) (err error) { stored, err = tx.UserByID(ctx, u.ID); return err })
	if strings.Contains(stored.PasswordHash, "brand new") || stored.PasswordHash == "" {
		t.Fatal("the password is not stored hashed")
	}
}

// TestPasswordChangeGuessesAreThrottled: wrong current passwords count as
// the sign-in's wrong guesses do: past the bound, 429 with Retry-After,
// even for the right one.
func TestPasswordChangeGuessesAreThrottled(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c, _ := f.user("guess")
	var err error
	for range 20 {
		_, err = c.ChangePassword(ctx, api.PasswordChangeRequest{CurrentPassword: "not it", NewPassword: "a brand new passphrase"})
		if ae, ok := err.(*api.APIError); ok && ae.Status == http.StatusTooManyRequests {
			break
		}
	}
	wantAPIError(t, err, http.StatusTooManyRequests, api.CodeTooManyAttempts)
	_, err = c.ChangePassword(ctx, api.PasswordChangeRequest{CurrentPassword: "correct horse battery", NewPassword: "a brand new passphrase"})
	wantAPIError(t, err, http.StatusTooManyRequests, api.CodeTooManyAttempts)
}

// TestPasswordChangeRightGuessAfterAddressFilled: a right current
// password checked while guesses from the same address failed past the
// bound is refused as they are (429), as a sign-in would be, and the
// password stays: the answer must not tell a right guess from a wrong one.
func TestPasswordChangeRightGuessAfterAddressFilled(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c, u := f.user("late")
	release := f.srv.HoldHashTurns(time.Minute)
	done := make(chan error, 1)
	go func() {
		_, err := c.ChangePassword(ctx, api.PasswordChangeRequest{CurrentPassword: "correct horse battery", NewPassword: "a brand new passphrase"})
		done <- err
	}()
	for deadline := time.Now().Add(10 * time.Second); f.srv.LoginsInFlight("account:"+u.Email) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			release()
			t.Fatal("the password change never reached its check")
		}
	}
	f.srv.HearLoginFailures("address:127.0.0.1", 10)
	release()
	wantAPIError(t, <-done, http.StatusTooManyRequests, api.CodeTooManyAttempts)
	var stored store.User
	if err := f.st.View(ctx, func(tx store.Tx) (err error) { stored, err = tx.UserByID(ctx, u.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if bcrypt.CompareHashAndPassword([]byte(stored.PasswordHash), []byte("correct horse battery")) != nil {
		t.Fatal("the password was changed though the answer was 429")
	}
}

// TestAccountMethodsAllowed: /api/v1/me answers GET and PATCH; another
// method is 405 naming both (the routes share the path).
func TestAccountMethodsAllowed(t *testing.T) {
	f := newFixture(t)
	c, _ := f.user("meth")
	got, body := f.raw(http.MethodDelete, "/api/v1/me", f.token(c), nil)
	if got != http.StatusMethodNotAllowed || !strings.Contains(string(body), "use GET or PATCH") {
		t.Fatalf("DELETE /api/v1/me: %d %s, want 405 naming GET and PATCH", got, body)
	}
}

// TestSignInDuringPasswordResetEnds: a sign-in with the old password that
// was waiting for its hash turn while an organizer reset the password
// (`users password`, which ends every sign-in) is refused when its turn
// comes, not given a token that outlives the reset: someone who knew a
// leaked password could otherwise keep a sign-in in flight and stay in.
func TestSignInDuringPasswordResetEnds(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, u := f.user("reset")
	release := f.srv.HoldHashTurns(time.Minute)
	done := make(chan error, 1)
	go func() {
		_, err := api.NewClient(f.ts.URL, f.ts.Client()).Login(ctx, api.LoginRequest{Email: u.Email, Password: "correct horse battery"})
		done <- err
	}()
	// Queued for its hash turn: it has read the account's hash already.
	waitForHashTurn(t, f, release)
	if _, err := f.organizer(f.st).SetPassword(ctx, u.Email, "a brand new passphrase 7"); err != nil {
		release()
		t.Fatal(err)
	}
	release()
	wantAPIError(t, <-done, http.StatusUnauthorized, api.CodeBadCredentials)
	// The new password signs in.
	if _, err := api.NewClient(f.ts.URL, f.ts.Client()).Login(ctx, api.LoginRequest{Email: u.Email, Password: "a brand new passphrase 7"}); err != nil {
		t.Fatalf("sign-in with the new password: %v", err)
	}
}

// waitForHashTurn waits until a request queues for a turn of the held
// password hashing gate.
func waitForHashTurn(t *testing.T, f *fixture, release func()) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); f.srv.HashTurnWaiters() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			release()
			t.Fatal("the request never queued for its hash turn")
		}
	}
}

// TestPasswordChangeDuringResetLoses: a password change checked against
// the old password while an organizer reset the account (its sign-ins all
// ended) is refused when its turn comes, not applied over the reset: with
// a leaked password and a sign-in, someone could otherwise choose the
// account's password after the organizer had taken it back.
func TestPasswordChangeDuringResetLoses(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c, u := f.user("taken")
	release := f.srv.HoldHashTurns(time.Minute)
	done := make(chan error, 1)
	go func() {
		_, err := c.ChangePassword(ctx, api.PasswordChangeRequest{CurrentPassword: "correct horse battery", NewPassword: "the intruder's own words"})
		done <- err
	}()
	waitForHashTurn(t, f, release)
	if _, err := f.organizer(f.st).SetPassword(ctx, u.Email, "a brand new passphrase 7"); err != nil {
		release()
		t.Fatal(err)
	}
	release()
	wantAPIError(t, <-done, http.StatusUnauthorized, api.CodeUnauthorized)
	login := func(password string) error {
		_, err := api.NewClient(f.ts.URL, f.ts.Client()).Login(ctx, api.LoginRequest{Email: u.Email, Password: password})
		return err
	}
	if err := login("a brand new passphrase 7"); err != nil {
		t.Fatalf("the organizer's password: %v", err)
	}
	wantAPIError(t, login("the intruder's own words"), http.StatusUnauthorized, api.CodeBadCredentials)
}
