package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/cache"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// keyringTokens stands in for the OS keyring behind client.TokenStore.
type keyringTokens struct{ token string }

func (k *keyringTokens) Seal(token string) string { k.token = token; return "keyring:" }
func (k *keyringTokens) Open(stored string) (string, error) {
	if stored != "keyring:" || k.token == "" {
		return "", errors.New("not in the keyring")
	}
	return k.token, nil
}
func (k *keyringTokens) Forget() { k.token = "" }

func startWithTokens(t *testing.T, url, dir string, tokens client.TokenStore) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{DataDir: dir, ServerURL: url, Log: zerolog.Nop(), Tokens: tokens,
		PollInterval: time.Hour, BackoffMin: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c
}

// signedInWithKeyring signs the demo volunteer in on a new data dir with a
// keyring for its token, and closes that client: the app as it was quit.
func signedInWithKeyring(t *testing.T) (serverURL, dir string, tokens *keyringTokens) {
	t.Helper()
	inst := startDemo(t, simnet.Config{})
	dir = t.TempDir()
	tokens = &keyringTokens{}
	c := startWithTokens(t, inst.URL, dir, tokens)
	if _, err := c.SignIn(context.Background(), demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	c.Close()
	return inst.URL, dir, tokens
}

func TestTokenKeptInTheKeyringNotTheCache(t *testing.T) {
	ctx := context.Background()
	url, dir, tokens := signedInWithKeyring(t)
	if tokens.token == "" {
		t.Fatal("the token never reached the keyring")
	}

	ch, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	sess, ok, err := ch.LoadSession(ctx)
	ch.Close()
	if err != nil || !ok || sess.Token != "keyring:" {
		t.Fatalf("cache holds token %q (ok %v, %v); want only the keyring marker", sess.Token, ok, err)
	}

	// Restarted, the app is still signed in with the keyring's token.
	c := startWithTokens(t, url, dir, tokens)
	if !c.Status(ctx).SignedIn {
		t.Fatal("not signed in after a restart")
	}
	if _, err := c.Campaigns(ctx); err != nil {
		t.Fatalf("the keyring's token does not work: %v", err)
	}
	if err := c.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if tokens.token != "" {
		t.Fatal("signing out left the token in the keyring")
	}
}

func TestTokenGoneFromKeyringStartsSignedOut(t *testing.T) {
	ctx := context.Background()
	url, dir, tokens := signedInWithKeyring(t)
	tokens.token = "" // e.g. the volunteer cleared their keyring
	c := startWithTokens(t, url, dir, tokens)
	defer c.Close()
	if c.Status(ctx).SignedIn {
		t.Fatal("signed in without a token")
	}
}

// slowKeyring answers Open only when release is closed: a keyring behind a
// slow D-Bus, or locked and waiting for the volunteer to unlock it.
type slowKeyring struct {
	keyringTokens
	asked   chan struct{}
	release chan struct{}
}

func (k *slowKeyring) Open(stored string) (string, error) {
	close(k.asked)
	<-k.release
	return k.keyringTokens.Open(stored)
}

// startWithSlowKeyring signs the demo volunteer in with its token in a
// keyring, then starts a client on the same data dir whose keyring has not
// answered yet (close slow.release to let it).
func startWithSlowKeyring(t *testing.T) (*client.Client, string, *slowKeyring) {
	t.Helper()
	url, dir, tokens := signedInWithKeyring(t)
	slow := &slowKeyring{keyringTokens: *tokens, asked: make(chan struct{}), release: make(chan struct{})}
	return startWithTokens(t, url, dir, slow), dir, slow
}

func TestStartDoesNotWaitForTheKeyring(t *testing.T) {
	ctx := context.Background()
	// Start returns (and the window can start) while the keyring has not
	// answered yet.
	c, _, slow := startWithSlowKeyring(t)
	defer c.Close()
	<-slow.asked
	// A call that needs to know who is signed in waits for the answer...
	status := make(chan client.Status, 1)
	go func() { status <- c.Status(ctx) }()
	select {
	case st := <-status:
		t.Fatalf("status answered before the keyring did: %+v", st)
	case <-time.After(100 * time.Millisecond):
	}
	// ...and, once the keyring answers, is signed in with its token.
	close(slow.release)
	if st := <-status; !st.SignedIn {
		t.Fatalf("not signed in once the keyring answered: %+v", st)
	}
	if _, err := c.Campaigns(ctx); err != nil {
		t.Fatalf("the keyring's token does not work: %v", err)
	}
}

func TestCloseWhileTheKeyringIsAskedResumesNothing(t *testing.T) {
	ctx := context.Background()
	c, dir, slow := startWithSlowKeyring(t)
	<-slow.asked
	c.Close() // the app quits before the keyring answered
	close(slow.release)
	if st := c.Status(ctx); st.SignedIn {
		t.Fatalf("a closed client resumed its session: %+v", st)
	}
	// The cache was closed cleanly: it opens again, with the session kept.
	ch, err := cache.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	if _, ok, err := ch.LoadSession(ctx); err != nil || !ok {
		t.Fatalf("saved session after the early close: ok %v, %v", ok, err)
	}
}
