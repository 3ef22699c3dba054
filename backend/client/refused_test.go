package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/client"
)

// cacheWithSession leaves in dir a cache synced from serverURL earlier: a
// signed-in session and one thread.
func cacheWithSession(t *testing.T, dir, serverURL string) {
	t.Helper()
	ctx := context.Background()
	pre, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer pre.Close()
	change := func(v int64, kind, id string, data any) api.Change {
		raw, _ := json.Marshal(data)
		return api.Change{Version: v, Kind: kind, ID: id, Data: raw}
	}
	in := time.Now().Add(-time.Minute)
	if _, err := pre.ApplyPage(ctx, api.SyncResponse{Cursor: 3, Changes: []api.Change{
		change(1, api.KindCampaign, "c1", api.Campaign{ID: "c1", Name: "Vote"}),
		change(2, api.KindAction, "a1", api.Action{ID: "a1", CampaignID: "c1", Type: api.ActionP2P, Title: "Texting", AllowFreeText: true}),
		change(3, api.KindThread, "k1", api.Thread{ID: "k1", ActionID: "a1", CampaignID: "c1", ActionType: api.ActionP2P,
			ContactName: "Ada Lovelace", ContactPhone: "+15550100001", LastMessageAt: in, LastInboundAt: &in}),
	}}); err != nil {
		t.Fatal(err)
	}
	if err := pre.SaveSession(ctx, cache.Session{Token: "t", User: api.User{ID: "u1", Name: "Vi Volunteer"}, ServerURL: serverURL}); err != nil {
		t.Fatal(err)
	}
}

// TestRefusedServerKeepsTheInboxAndSendsNothing: a server address the app
// will not use (plain http:// elsewhere, saved by an older version) keeps
// the volunteer's sign-in, inbox and unsent changes, says what to do as the
// status's problem and as sign-in's error, and sends nothing at all.
func TestRefusedServerKeepsTheInboxAndSendsNothing(t *testing.T) {
	ctx := context.Background()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "no", http.StatusTeapot)
	}))
	defer srv.Close()
	dir := t.TempDir()
	cacheWithSession(t, dir, srv.URL)
	const why = "Textbank no longer connects to this address; enter its https:// address in Settings."
	c, err := client.New(client.Config{DataDir: dir, ServerURL: srv.URL, Refused: why, Log: zerolog.Nop(),
		PollInterval: 20 * time.Millisecond, BackoffMin: 10 * time.Millisecond, BackoffMax: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	st := c.Status(ctx)
	kept := why + " Your inbox and unsent changes are kept."
	if !st.SignedIn || st.ServerRefused != why || st.Problem != kept {
		t.Fatalf("status %+v; want signed in, the refusal as the problem, saying the inbox is kept", st)
	}
	if _, err := c.Thread(ctx, "k1"); err != nil {
		t.Fatalf("the inbox is not readable: %v", err)
	}
	if err := c.SendReply(ctx, "k1", "Hello Ada", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SignIn(ctx, "vi@example.org", "long enough"); err == nil || err.Error() != why {
		t.Fatalf("sign-in: %v; want the refusal", err)
	}
	// Every other call to the server says the same sentence alone, not
	// "cannot reach the campaign server at …" around it.
	for name, call := range map[string]func() error{
		"join":       func() error { _, err := c.JoinCampaign(ctx, "123456"); return err },
		"search":     func() error { _, err := c.SearchCampaigns(ctx, "vote"); return err },
		"text again": func() error { _, err := c.TextAgain(ctx, "a1"); return err },
		"release":    func() error { _, err := c.Release(ctx, "a1"); return err },
		"reassign":   func() error { _, err := c.ReassignTargets(ctx, "a1"); return err },
	} {
		if err := call(); err == nil || err.Error() != why {
			t.Errorf("%s: %v; want the refusal alone", name, err)
		}
	}
	time.Sleep(200 * time.Millisecond) // several sync attempts
	if st := c.Status(ctx); st.Pending != 1 || st.Problem != kept {
		t.Fatalf("after sync attempts: %+v; want the reply kept and the refusal the problem", st)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the server got %d requests; want none", n)
	}
	// Sign out deletes the inbox and the reply with it: the sign-in screen's
	// refusal no longer says they are kept.
	if err := c.SignOut(ctx); err != nil {
		t.Fatalf("sign out: %v", err)
	}
	if st := c.Status(ctx); st.SignedIn || st.ServerRefused != why || st.Problem != why {
		t.Fatalf("after sign out: %+v; want the refusal alone, not that the inbox is kept", st)
	}
}

// TestAddressMovedToHTTPSKeepsTheSession: the same server's address moved
// from http:// to https:// (what the refusal asks for) keeps the cache and
// sign-in; another server's address still starts from an empty cache.
func TestAddressMovedToHTTPSKeepsTheSession(t *testing.T) {
	ctx := context.Background()
	offline := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, context.DeadlineExceeded
	})}
	for _, tc := range []struct {
		now      string
		signedIn bool
	}{
		{"https://texts.example.org", true},
		{"https://other.example.org", false},
	} {
		dir := t.TempDir()
		cacheWithSession(t, dir, "http://texts.example.org")
		c, err := client.New(client.Config{DataDir: dir, ServerURL: tc.now, HTTPClient: offline, Log: zerolog.Nop(),
			PollInterval: time.Hour, BackoffMin: time.Hour, BackoffMax: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if st := c.Status(ctx); st.SignedIn != tc.signedIn {
			t.Errorf("http://texts.example.org then %s: signed in %v, want %v", tc.now, st.SignedIn, tc.signedIn)
		}
		c.Close()
	}
}

// TestRefusedOtherServerKeepsTheCache: a refused address naming another
// server than the cache's (TEXTBANK_SERVER=http://… left in the
// environment, the real server's https:// address in Settings) does not
// wipe the cache: nothing can reach it, and the volunteer's inbox and
// unsent changes must be there once the variable is fixed.
func TestRefusedOtherServerKeepsTheCache(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cacheWithSession(t, dir, "https://real.example.org")
	const why = "Textbank no longer connects to http://10.0.0.5:8787 (set in TEXTBANK_SERVER)."
	c, err := client.New(client.Config{DataDir: dir, ServerURL: "http://10.0.0.5:8787", Refused: why, Log: zerolog.Nop(),
		PollInterval: time.Hour, BackoffMin: time.Hour, BackoffMax: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if st := c.Status(ctx); !st.SignedIn || st.Problem != why+" Your inbox and unsent changes are kept." {
		t.Fatalf("status %+v; want the session kept and the refusal the problem", st)
	}
	if _, err := c.Thread(ctx, "k1"); err != nil {
		t.Fatalf("the inbox was wiped: %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
