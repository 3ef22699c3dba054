package client_test

import (
	"context"
	"net/http"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/testlog"
)

// An accepted round stores its time on a goroutine of its own; signing
// out stopped sync and deleted the cache without waiting for it, so a
// store under way reached the closed cache ("could not store when the
// server last accepted the sign-in: sql: database is closed" in the log).
// Here a store is held (a hook) until sync, stopping, waits for it, or
// else until the sign-out is done: it must land on the open cache, and
// nothing is warned of.
func TestSignOutWaitsForTheAcceptanceBeingStored(t *testing.T) {
	inst := startDemoIn(t, t.TempDir(), "127.0.0.1:0")
	t.Cleanup(func() { stop(t, inst) })
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clk := &clock{now: at}
	netw := &datedNet{server: &clock{now: at}}
	var logged testlog.Buffer
	c := started(t, client.Config{DataDir: t.TempDir(), ServerURL: inst.URL, Log: zerolog.New(&logged), Notify: func(client.Event) {},
		HTTPClient: &http.Client{Transport: netw}, PollInterval: time.Hour, BackoffMin: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond, Now: clk.Now})
	signInAndJoin(t, c)
	th := firstThread(t, c, inst.Info.CampaignID)

	// Two hours on, by both clocks: the next accepted round stores.
	entered, release, stored := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var enterOnce, releaseOnce, storedOnce gosync.Once
	let := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(client.SetAcceptedHooks(func() { enterOnce.Do(func() { close(entered) }); <-release },
		func() { storedOnce.Do(func() { close(stored) }) }, let))
	t.Cleanup(let)
	clk.add(2 * time.Hour)
	netw.server.add(2 * time.Hour)
	if err := c.SendReply(ctx, th.ID, "its round stores the acceptance", ""); err != nil {
		t.Fatal(err)
	}
	<-entered
	if err := c.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	let()
	<-stored
	if out := logged.String(); strings.Contains(out, "could not store") {
		t.Errorf("a store of the acceptance reached the cache after sign-out:\n%s", out)
	}
}
