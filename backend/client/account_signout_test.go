package client_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// Signing out revokes the token on the server, not only on this desktop.
func TestSignOutRevokesToken(t *testing.T) {
	inst := startDemo(t, simnet.Config{})
	ctx := context.Background()
	dir := t.TempDir()
	c, _ := newClient(t, inst.URL, dir)
	signInAndJoin(t, c)
	ch, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	s, ok, err := ch.LoadSession(ctx)
	ch.Close()
	if err != nil || !ok || s.Token == "" {
		t.Fatalf("session %v %v", ok, err)
	}
	raw := api.NewClient(inst.URL, nil)
	raw.SetToken(s.Token)
	if _, err := raw.Me(ctx); err != nil {
		t.Fatalf("token refused before sign-out: %v", err)
	}
	if err := c.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	var ae *api.APIError
	if _, err := raw.Me(ctx); !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized {
		t.Fatalf("token after sign-out: %v, want 401", err)
	}
}

// Signing out sends what is still in the outbox before the cache goes: an
// archive the sync engine could not push (and would not retry for a while)
// reaches the server instead of being deleted with the cache.
func TestSignOutPushesTheOutboxFirst(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	gate := &outboxGate{}
	c := clientThrough(t, inst.URL, gate)
	signInAndJoin(t, c)
	camp := inst.Info.CampaignID
	rows := threadsUnder(t, c, camp, client.FilterAll, "")
	if len(rows) == 0 {
		t.Fatal("no conversations after joining")
	}
	archived := rows[0].ID

	gate.held.Store(true)
	if err := c.Archive(ctx, archived, true); err != nil {
		t.Fatal(err)
	}
	if st := c.Status(ctx); st.Pending != 1 {
		t.Fatalf("the archive should wait in the outbox: %+v", st)
	}
	if err := c.SignOut(context.WithValue(ctx, viaCaller{}, true)); err != nil {
		t.Fatal(err)
	}

	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the archive made before signing out, on the server", 10*time.Second, func() bool {
		return hasThread(threadsUnder(t, c, camp, client.FilterArchive, ""), archived)
	})
}

// A sign-in the server stops accepting (here revoked, as an expired one is
// refused the same way: 401) ends with the pending change kept, alone
// (ended.go); signing in again as the same volunteer sends it and brings
// the inbox back. The change is made first, its push held back, so that
// the 401 finds it waiting (with nothing waiting: ended_test.go).
func TestSessionEndedSignInAgainSendsPending(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	dir := t.TempDir()
	gate := &outboxGate{}
	c := retryingThrough(t, inst.URL, dir, gate, func(client.Event) {})
	signInAndJoin(t, c)
	camps, err := c.Campaigns(ctx)
	if err != nil || len(camps) == 0 {
		t.Fatalf("campaigns %v %v", camps, err)
	}

	// A change waits, its push held back.
	gate.held.Store(true)
	was, err := c.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetAutoArchive(ctx, !was.AutoArchive); err != nil {
		t.Fatal(err)
	}

	// The server forgets the token behind the client's back.
	raw := api.NewClient(inst.URL, nil)
	raw.SetToken(savedToken(t, dir))
	if err := raw.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	gate.held.Store(false)

	// The change cannot reach the server: it waits, alone, and the status
	// says whose sign-in ended.
	eventually(t, "the status to say the sign-in ended", 10*time.Second, func() bool {
		st := c.Status(ctx)
		return !st.SignedIn && st.SignInEnded == demo.VolunteerEmail && st.Pending == 1
	})
	if got, err := c.Campaigns(ctx); err != nil || len(got) != 0 {
		t.Fatalf("campaigns with the sign-in ended: %v %v", got, err)
	}

	// Signing in again as the same volunteer: the change goes out, the inbox comes back.
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the campaigns back", 10*time.Second, func() bool {
		after, err := c.Campaigns(ctx)
		return err == nil && len(after) == len(camps)
	})
	eventually(t, "the pending change to reach the server", 10*time.Second, func() bool {
		st := c.Status(ctx)
		return !st.SessionExpired && st.Pending == 0
	})
	// Another desktop of the same volunteer sees the change: it reached the server.
	other, _ := newClient(t, inst.URL, t.TempDir())
	if _, err := other.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the other desktop to see the change", 10*time.Second, func() bool {
		got, err := other.Settings(ctx)
		return err == nil && got.AutoArchive == !was.AutoArchive
	})
}

// Signing out hands the volunteer's unsent contacts back to the pool, as
// Stop for now does: signed out, nobody would text them.
func TestSignOutHandsBackUnsentContacts(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	signInAndJoin(t, c)
	b, err := c.TextAgain(ctx, inst.Info.ActionID)
	if err != nil || b.Assigned == 0 {
		t.Fatalf("Text Again: %+v %v", b, err)
	}
	held := func() int {
		var n int
		err := inst.Store.View(ctx, func(tx store.Tx) error {
			u, err := tx.UserByEmail(ctx, demo.VolunteerEmail)
			if err != nil {
				return err
			}
			cs, err := tx.AssignedUnsent(ctx, inst.Info.ActionID, u.ID)
			n = len(cs)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := held(); n != b.Assigned {
		t.Fatalf("the server holds %d unsent contacts for the volunteer, want the batch's %d", n, b.Assigned)
	}
	if err := c.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	if n := held(); n != 0 {
		t.Fatalf("the server still holds %d unsent contacts for the volunteer after signing out, want 0", n)
	}
}

// savedToken is the token of the session saved in dir's cache.
func savedToken(t *testing.T, dir string) string {
	t.Helper()
	ch, err := cache.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	s, ok, err := ch.LoadSession(context.Background())
	if err != nil || !ok {
		t.Fatalf("session %v %v", ok, err)
	}
	return s.Token
}
