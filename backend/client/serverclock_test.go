package client_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
)

// The sign-in's 30-day idle end is counted on the server's clock, read
// from its answers' Date: this computer's clock jumping (ahead or back)
// neither ends a live sign-in nor keeps an ended one, as long as the
// server answers at all. An honest month offline ends it
// (TestSignInUnusedThirtyDaysEndsOffline).

// datedNet carries the app's requests to the server over cut (which can
// cut the network) and gives every answer the Date of server, the test's
// clock of the server. Failing, it answers each request itself with a 500
// dated the same, as a failing server does: an answer that accepts
// nothing.
type datedNet struct {
	cut      cutTransport
	server   *clock
	failing  atomic.Bool
	failures atomic.Int64 // answers while failing, or none while cut
}

func (d *datedNet) RoundTrip(r *http.Request) (*http.Response, error) {
	if d.failing.Load() && !d.cut.cut.Load() {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		d.failures.Add(1)
		h := http.Header{"Content-Type": {"application/json"}, "Date": {d.server.Now().Format(http.TimeFormat)}}
		return &http.Response{StatusCode: http.StatusInternalServerError, Header: h, Request: r,
			Body: io.NopCloser(strings.NewReader(`{"error":{"code":"internal","message":"the campaign server failed"}}`))}, nil
	}
	resp, err := d.cut.RoundTrip(r)
	if err != nil {
		d.failures.Add(1)
		return nil, err
	}
	resp.Header.Set("Date", d.server.Now().Format(http.TimeFormat))
	return resp, nil
}

// clockApp is an app on its own clock (local) beside the server's
// (server), both at the same time at first.
type clockApp struct {
	inst          *demo.Instance
	local, server *clock
	netw          *datedNet
	cfg           client.Config
	c             *client.Client
	thread        string
}

// signedInOnClocks signs the demo volunteer in on a new data directory.
func signedInOnClocks(t *testing.T) *clockApp {
	t.Helper()
	inst := startDemoIn(t, t.TempDir(), "127.0.0.1:0")
	t.Cleanup(func() { stop(t, inst) })
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a := &clockApp{inst: inst, local: &clock{now: at}, server: &clock{now: at}}
	a.netw = &datedNet{server: a.server}
	a.cfg = client.Config{DataDir: t.TempDir(), ServerURL: inst.URL, Log: zerolog.Nop(), HTTPClient: &http.Client{Transport: a.netw},
		PollInterval: time.Hour, BackoffMin: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond, Now: a.local.Now}
	a.c = started(t, a.cfg)
	signInAndJoin(t, a.c)
	a.thread = firstThread(t, a.c, inst.Info.CampaignID).ID
	return a
}

// failedRounds makes sync's rounds fail against a server that answers
// with 500s (a reply sent starts them; they retry) until n more have.
func (a *clockApp) failedRounds(t *testing.T, n int64) {
	t.Helper()
	a.netw.failing.Store(true)
	from := a.netw.failures.Load()
	if err := a.c.SendReply(context.Background(), a.thread, "sent while the server fails", ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "failed rounds", 10*time.Second, func() bool { return a.netw.failures.Load() >= from+n || a.ended() })
}

func (a *clockApp) ended() bool {
	st := a.c.Status(context.Background())
	return !st.SignedIn && st.SignInEnded == demo.VolunteerEmail
}

// This computer's clock jumps a month ahead while the server answers, but
// fails: the server's clock says a month has not passed, and the sign-in
// stays. When a month has passed on the server's clock too, the next
// failed round ends it.
func TestClockAheadKeepsALiveSignIn(t *testing.T) {
	a := signedInOnClocks(t)
	a.local.add(api.TokenIdle + 24*time.Hour)
	a.failedRounds(t, 5)
	if a.ended() {
		t.Fatalf("a clock a month ahead ended a live sign-in: %+v", a.c.Status(context.Background()))
	}
	a.server.add(api.TokenIdle + 24*time.Hour)
	a.local.add(time.Minute)
	eventually(t, "the sign-in ended on the server's clock", 10*time.Second, a.ended)
}

// This computer's clock is set ten days back, then a month passes: by its
// clock 21 days, by the server's 31. The server's answers say so, and the
// next failed round ends the sign-in.
func TestClockBehindEndsAnUnusedSignIn(t *testing.T) {
	a := signedInOnClocks(t)
	a.local.add(-10 * 24 * time.Hour)
	a.failedRounds(t, 1)
	month := api.TokenIdle + 24*time.Hour
	a.local.add(month)
	a.server.add(month)
	if err := a.c.SendReply(context.Background(), a.thread, "a month later", ""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the sign-in ended on the server's clock", 10*time.Second, a.ended)
}

// The clock jumps a month ahead while the app is closed: at start it does
// not end the sign-in before asking the server, whose answer accepts it;
// and the offset learnt is kept, so the app started again offline, its
// clock still ahead, does not end it either.
func TestClockAheadAtStartAsksTheServer(t *testing.T) {
	a := signedInOnClocks(t)
	ctx := context.Background()
	a.c.Close()
	a.local.add(api.TokenIdle + 24*time.Hour)
	a.c = started(t, a.cfg)
	eventually(t, "online after the start", 10*time.Second, func() bool {
		return a.c.Status(ctx).Connection == client.ConnectionOnline
	})
	if st := a.c.Status(ctx); !st.SignedIn || st.SignInEnded != "" {
		t.Fatalf("started with the clock a month ahead: %+v", st)
	}
	a.c.Close()
	a.netw.cut.setCut(true)
	a.local.add(time.Hour)
	a.c = started(t, a.cfg)
	if err := a.c.SendReply(ctx, a.thread, "offline, the clock still ahead", ""); err != nil {
		t.Fatal(err)
	}
	from := a.netw.failures.Load()
	eventually(t, "failed rounds", 10*time.Second, func() bool { return a.netw.failures.Load() >= from+5 })
	if st := a.c.Status(ctx); !st.SignedIn || st.SignInEnded != "" {
		t.Fatalf("started offline with the clock a month ahead, the server's offset known: %+v", st)
	}
}
