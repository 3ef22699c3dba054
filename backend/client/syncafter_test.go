package client_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// countStreams counts the event streams opened through it: only a running
// engine opens one.
type countStreams struct{ n atomic.Int32 }

func (c *countStreams) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, api.PathEvents) {
		c.n.Add(1)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// A second start of the app (a desktop shortcut opened while Textbank sits
// in the tray) runs its whole start before Wails' single-instance check
// brings the first to the front and ends it. Its sync must not run
// meanwhile, beside the first's: the client syncs only once SyncAfter is
// closed (the window is up).
func TestSyncWaitsUntilTheWindowIsUp(t *testing.T) {
	inst := startDemo(t, simnet.DefaultConfig())
	var held atomic.Bool
	t.Cleanup(client.SetSyncHeldHook(func() { held.Store(true) }))
	streams := &countStreams{}
	windowUp := make(chan struct{})
	c := started(t, client.Config{DataDir: t.TempDir(), ServerURL: inst.URL, Log: zerolog.Nop(), Notify: func(client.Event) {},
		HTTPClient: &http.Client{Transport: streams}, PollInterval: time.Hour, SyncAfter: windowUp})
	if _, err := c.SignIn(context.Background(), demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	eventually(t, "sync to wait for the window", 5*time.Second, held.Load)
	if n := streams.n.Load(); n != 0 {
		t.Fatalf("%d event streams opened before the window was up", n)
	}
	close(windowUp)
	eventually(t, "sync to start once the window is up", 5*time.Second, func() bool { return streams.n.Load() > 0 })
}

// The second start is ended, or quits, before its window is up: closing
// the client does not wait for a window that never comes.
func TestCloseWhileSyncWaitsForTheWindow(t *testing.T) {
	inst := startDemo(t, simnet.DefaultConfig())
	var held atomic.Bool
	t.Cleanup(client.SetSyncHeldHook(func() { held.Store(true) }))
	c, err := client.New(client.Config{DataDir: t.TempDir(), ServerURL: inst.URL, Log: zerolog.Nop(), Notify: func(client.Event) {},
		PollInterval: time.Hour, SyncAfter: make(chan struct{})})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SignIn(context.Background(), demo.VolunteerEmail, demo.VolunteerPassword); err != nil {
		t.Fatal(err)
	}
	eventually(t, "sync to wait for the window", 5*time.Second, held.Load)
	c.Close() // returns: the test would time out otherwise
}
