package client_test

import (
	"context"
	"net/http"
	gosync "sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms/simnet"
)

func startDemo(t *testing.T, netw simnet.Config) *demo.Instance {
	t.Helper()
	inst, err := demo.Start(context.Background(), demo.Options{
		Dir: t.TempDir(), Addr: "127.0.0.1:0", Log: zerolog.Nop(), Network: netw, BcryptCost: bcrypt.MinCost,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = inst.Close(ctx)
	})
	return inst
}

// events records what the client told the window.
type events struct {
	mu  gosync.Mutex
	all []client.Event
}

func (e *events) add(ev client.Event) {
	e.mu.Lock()
	e.all = append(e.all, ev)
	e.mu.Unlock()
}

func (e *events) named(name string) []client.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []client.Event
	for _, ev := range e.all {
		if ev.Name == name {
			out = append(out, ev)
		}
	}
	return out
}

// signInAndJoin signs the demo volunteer in and joins the demo campaign.
func signInAndJoin(t *testing.T, c *client.Client) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.SignIn(ctx, demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := c.JoinCampaign(ctx, demo.JoinCode); err != nil {
		t.Fatal(err)
	}
}

// started is a client of cfg, started, and closed when the test ends.
func started(t *testing.T, cfg client.Config) *client.Client {
	t.Helper()
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// clientThrough starts a client whose requests go through rt (a test's
// gate or cut) and that never retries or polls by itself, so the test says
// when sync runs.
func clientThrough(t *testing.T, url string, rt http.RoundTripper) *client.Client {
	t.Helper()
	return started(t, client.Config{DataDir: t.TempDir(), ServerURL: url, Log: zerolog.Nop(), Notify: func(client.Event) {},
		HTTPClient: &http.Client{Transport: rt}, PollInterval: time.Hour, BackoffMin: time.Hour, BackoffMax: time.Hour})
}

// retryingThrough starts a client on dir whose requests go through rt
// (a test's gate or cut) and that retries soon (10 to 50 ms) but never
// polls.
func retryingThrough(t *testing.T, url, dir string, rt http.RoundTripper, notify func(client.Event)) *client.Client {
	t.Helper()
	return started(t, client.Config{DataDir: dir, ServerURL: url, Log: zerolog.Nop(), Notify: notify,
		HTTPClient: &http.Client{Transport: rt}, PollInterval: time.Hour, BackoffMin: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond})
}

func newClient(t *testing.T, url, dir string) (*client.Client, *events) {
	t.Helper()
	ev := &events{}
	return started(t, client.Config{DataDir: dir, ServerURL: url, Log: zerolog.Nop(), Notify: ev.add,
		PollInterval: time.Hour, BackoffMin: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond}), ev
}

func eventually(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
