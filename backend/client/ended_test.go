package client_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/testlog"
)

// A sign-in the server ended (an organizer's users sign-out for a lost
// laptop) takes this computer's copy of the inbox with it when nothing
// waits to be sent: the app started after it finds its sign-in refused,
// deletes the cache and names the account for the sign-in screen; signing
// in again brings the inbox back from the server.
func TestSignInEndedWithNothingWaitingDeletesTheCopy(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	dir := t.TempDir()
	c, _ := newClient(t, inst.URL, dir)
	signInAndJoin(t, c)
	camps, err := c.Campaigns(ctx)
	if err != nil || len(camps) == 0 {
		t.Fatalf("campaigns %v %v", camps, err)
	}
	eventually(t, "nothing waiting to be sent", 10*time.Second, func() bool { return c.Status(ctx).Pending == 0 })
	c.Close()
	raw := api.NewClient(inst.URL, nil)
	raw.SetToken(savedToken(t, dir))
	if err := raw.Logout(ctx); err != nil {
		t.Fatal(err)
	}

	again, _ := newClient(t, inst.URL, dir)
	eventually(t, "the ended sign-in to delete the copy", 10*time.Second, func() bool {
		st := again.Status(ctx)
		return !st.SignedIn && st.SignInEnded == demo.VolunteerEmail
	})
	if got, _ := again.Campaigns(ctx); len(got) != 0 {
		t.Errorf("%d campaigns still on this computer with the sign-in ended", len(got))
	}
	ch, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	_, saved, err := ch.LoadSession(ctx)
	ch.Close()
	if err != nil || saved {
		t.Fatalf("a session is still saved in the cache (%t, %v)", saved, err)
	}

	if _, err := again.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the inbox back from the server", 10*time.Second, func() bool {
		got, err := again.Campaigns(ctx)
		return err == nil && len(got) == len(camps)
	})
	if st := again.Status(ctx); st.SignInEnded != "" || !st.SignedIn {
		t.Errorf("signed in again, status %+v", st)
	}
}

// The volunteer signs in again while the app is still stopping sync for
// the sign-in the server ended: that ending leaves the new sign-in alone
// (it signed them out again and deleted the inbox the new sign-in was
// bringing back).
func TestSignInAgainWhileTheEndedOneStops(t *testing.T) {
	inst, dir := endedWithNothingWaiting(t)
	ctx := context.Background()

	stopped, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	t.Cleanup(client.SetEndSignInHooks(func() { close(stopped); <-release }, func() { close(done) }))
	again, _ := newClient(t, inst.URL, dir)
	<-stopped
	if _, err := again.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	close(release)
	<-done
	if st := again.Status(ctx); !st.SignedIn || st.SignInEnded != "" {
		t.Fatalf("signed in again while the ended sign-in stopped, status %+v", st)
	}
	if got, err := again.Campaigns(ctx); err != nil || len(got) == 0 {
		t.Errorf("campaigns after signing in again: %v %v", got, err)
	}
}

// A copy that cannot all be deleted (here a leftover journal that is a
// folder) is logged as an error naming what stayed, not as deleted but
// for the waiting changes: an operator reading the log after a lost
// laptop must not be told the contacts are gone when some of the files
// are not. The new copy, which cannot be opened beside that folder, is
// opened at the first call after it is gone.
func TestEndedSignInWhoseCopyCannotBeDeletedSaysSo(t *testing.T) {
	inst, dir := endedWithNothingWaiting(t)
	ctx := context.Background()

	// Made once the app is running (it could not open its copy beside it).
	var mkErr error
	done := make(chan struct{})
	t.Cleanup(client.SetEndSignInHooks(func() {
		mkErr = os.MkdirAll(filepath.Join(dir, cache.FileName+"-journal", "kept"), 0o700)
	}, func() { close(done) }))
	var logged testlog.Buffer
	app := started(t, client.Config{DataDir: dir, ServerURL: inst.URL, Log: zerolog.New(&logged), Notify: func(client.Event) {},
		PollInterval: time.Hour, BackoffMin: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond})
	<-done
	if mkErr != nil {
		t.Fatal(mkErr)
	}
	out := logged.String()
	if strings.Contains(out, "local cache deleted") || !strings.Contains(out, `"level":"error"`) || !strings.Contains(out, "-journal") {
		t.Errorf("the log of a copy not wholly deleted:\n%s", out)
	}
	// The new copy could not be opened either: calls say so in words (not
	// "still starting", for as long as the app ran), and once the cause is
	// gone the next call opens it.
	st := app.Status(ctx)
	if !strings.Contains(st.Problem, "could not open this computer's copy") {
		t.Errorf("status while the copy cannot be opened: %+v", st)
	}
	if err := os.RemoveAll(filepath.Join(dir, cache.FileName+"-journal")); err != nil {
		t.Fatal(err)
	}
	if st := app.Status(ctx); st.Problem != "" || st.SignInEnded != demo.VolunteerEmail {
		t.Errorf("status once the copy can be opened: %+v, want no problem and the ended sign-in named", st)
	}
	if _, err := app.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Errorf("sign in again once the copy can be opened: %v", err)
	}
}

// endedWithNothingWaiting signs the demo volunteer in on a new data
// directory, waits until nothing waits to be sent, closes the app and
// ends the sign-in on the server (as users sign-out does): the next app
// on dir hears a 401.
func endedWithNothingWaiting(t *testing.T) (*demo.Instance, string) {
	t.Helper()
	inst := startDemo(t, quiet)
	ctx := context.Background()
	dir := t.TempDir()
	c, _ := newClient(t, inst.URL, dir)
	signInAndJoin(t, c)
	eventually(t, "nothing waiting to be sent", 10*time.Second, func() bool { return c.Status(ctx).Pending == 0 })
	c.Close()
	raw := api.NewClient(inst.URL, nil)
	raw.SetToken(savedToken(t, dir))
	if err := raw.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	return inst, dir
}
