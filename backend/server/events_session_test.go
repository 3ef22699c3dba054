package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// liveStream is an event stream a test holds open through the app's own
// client.
type liveStream struct {
	events chan api.Event
	ended  chan error // Stream's result once it returns: nil is a clean end
}

// openStream opens c's event stream and waits until the server accepted
// it; the test's end closes it.
func openStream(t *testing.T, c *api.Client) *liveStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ls := &liveStream{events: make(chan api.Event, 64), ended: make(chan error, 1)}
	opened := make(chan struct{})
	go func() {
		ls.ended <- c.Stream(ctx, func() { close(opened) }, func(ev api.Event) {
			select {
			case ls.events <- ev:
			default:
			}
		})
	}()
	select {
	case <-opened:
	case err := <-ls.ended:
		t.Fatalf("the event stream did not open: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("the event stream did not open within 5 s")
	}
	return ls
}

// wantEnded waits up to within for the server to end the stream cleanly.
func (ls *liveStream) wantEnded(t *testing.T, within time.Duration, what string) {
	t.Helper()
	select {
	case err := <-ls.ended:
		if err != nil {
			t.Fatalf("%s: the stream failed (%v); want the server to end it cleanly", what, err)
		}
	case <-time.After(within):
		t.Fatalf("%s: the stream was still open %v later", what, within)
	}
}

// wantReplaced waits for the server to end the stream for a newer one of
// the user's, saying so (api.ErrStreamReplaced: the app then waits instead
// of asking again at once).
func (ls *liveStream) wantReplaced(t *testing.T, within time.Duration, what string) {
	t.Helper()
	select {
	case err := <-ls.ended:
		if !errors.Is(err, api.ErrStreamReplaced) {
			t.Fatalf("%s: the stream ended with %v; want api.ErrStreamReplaced", what, err)
		}
	case <-time.After(within):
		t.Fatalf("%s: the stream was still open %v later", what, within)
	}
}

// wantOpen fails if the stream has ended.
func (ls *liveStream) wantOpen(t *testing.T, what string) {
	t.Helper()
	select {
	case err := <-ls.ended:
		t.Fatalf("%s: the stream ended (%v); want it open", what, err)
	default:
	}
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// wantMe asks GET /api/v1/me with token and wants status and error code
// ("" for none).
func (f *fixture) wantMe(token string, status int, code string) {
	f.t.Helper()
	got, body := f.raw(http.MethodGet, "/api/v1/me", token, nil)
	var eb api.ErrorBody
	if got != http.StatusOK {
		mustJSON(f.t, body, &eb)
	}
	if got != status || eb.Error.Code != code {
		f.t.Fatalf("GET /api/v1/me answered %d %q (%s); want %d %q", got, eb.Error.Code, body, status, code)
	}
}

// TestEventStreamEndsAtSignOut: signing out ends the event streams that
// token opened, at once (the keep-alive is a minute away here, so only
// the sign-out can end it), cleanly; the next request with the token is
// refused. The same volunteer's other session keeps its stream.
func TestEventStreamEndsAtSignOut(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{ping: time.Minute})
	ctx := context.Background()
	c, u := f.user("vera")
	token := f.token(c)
	other := api.NewClient(f.ts.URL, f.ts.Client())
	res, err := other.Login(ctx, api.LoginRequest{Email: u.Email, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	other.SetToken(res.Token)

	signedOut, alsoSignedOut := openStream(t, c), openStream(t, c)
	stays := openStream(t, other)
	if err := c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	signedOut.wantEnded(t, time.Second, "after signing out")
	alsoSignedOut.wantEnded(t, time.Second, "the token's second stream, after signing out")
	f.wantMe(token, http.StatusUnauthorized, api.CodeUnauthorized)
	err = c.Stream(ctx, nil, func(api.Event) {})
	wantAPIError(t, err, http.StatusUnauthorized, api.CodeUnauthorized)
	stays.wantOpen(t, "the volunteer's other session")
	f.wantMe(res.Token, http.StatusOK, "")
}

// TestEventStreamEndsWhenItsTokenExpires: a token that reaches its idle
// limit while its stream is open ends the stream then, not at the next
// keep-alive (a minute away here); the app's next request learns why.
func TestEventStreamEndsWhenItsTokenExpires(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{ping: time.Minute, tokenIdle: 300 * time.Millisecond})
	c, _ := f.user("vera")
	ls := openStream(t, c)
	// On the server's clock the token is now unused for longer than it
	// may be; the stream's timer fires 300 ms after it opened.
	f.clock.Advance(time.Second)
	ls.wantEnded(t, 2*time.Second, "after the token expired")
	f.wantMe(f.token(c), http.StatusUnauthorized, api.CodeSessionExpired)
}

// TestEventStreamEndsAtItsTokensLifetime: a stream whose token reaches its
// absolute lifetime (however recently it was used) ends then, and the
// app's next request learns why.
func TestEventStreamEndsAtItsTokensLifetime(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{ping: time.Minute, tokenLifetime: 300 * time.Millisecond})
	c, _ := f.user("vera")
	ls := openStream(t, c)
	ls.wantOpen(t, "a token within its lifetime")
	f.clock.Advance(time.Second)
	ls.wantEnded(t, 2*time.Second, "after the token's lifetime")
	f.wantMe(f.token(c), http.StatusUnauthorized, api.CodeSessionExpired)
}

// TestEventStreamChecksItsTokenAtEveryPing: a token deleted without the
// server hearing of it (by hand, on SQLite where nothing announces it; a
// NOTIFY lost on the way) ends its stream at the next keep-alive, not when
// the token cache's entry lapses.
func TestEventStreamChecksItsTokenAtEveryPing(t *testing.T) {
	f := newFixture(t) // keep-alive every 50 ms
	c, _ := f.user("vera")
	ls := openStream(t, c)
	// Still open after several keep-alives while the token is good.
	time.Sleep(200 * time.Millisecond)
	ls.wantOpen(t, "a good token")
	f.update(func(tx store.Tx) error { return tx.DeleteToken(context.Background(), tokenHash(f.token(c))) })
	ls.wantEnded(t, time.Second, "after the token was deleted behind the server's back")
}

// TestTwoServersSignOutEndsStreams: a sign-out on server A ends the
// stream the same token holds on server B within the announcement's
// delivery (B's keep-alive is a minute away), while a token's hourly
// touch, announced the same way, leaves it open.
func TestTwoServersSignOutEndsStreams(t *testing.T) {
	pgtest.Require(t)
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	srvB, tsB := f.secondPinging(time.Minute)
	waitTokensLive(ctx, t, srvB)
	a, _ := f.user("vera")
	token := f.token(a)
	b := api.NewClient(tsB.URL, nil)
	b.SetToken(token)
	ls := openStream(t, b)

	// Two hours on, a request through A records a use: the row changes,
	// B hears of it (forgets its cache entry) and its stream reads the
	// token again and stays.
	f.clock.Advance(2 * time.Hour)
	if !srvB.TokenCached(token) {
		t.Fatal("server B did not cache the token its stream came with")
	}
	if _, err := a.Me(ctx); err != nil {
		t.Fatal(err)
	}
	for srvB.TokenCached(token) {
		if ctx.Err() != nil {
			t.Fatal("server B never heard of the token's touch")
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	ls.wantOpen(t, "after the token's use was recorded on server A")

	if err := a.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	ls.wantEnded(t, time.Second, "on server B after signing out on server A")
	_, err := b.Me(ctx)
	wantAPIError(t, err, http.StatusUnauthorized, api.CodeUnauthorized)
}

// TestEventStreamsPerUserAreCapped: a user holds at most 8 streams on a
// server; a ninth ends the oldest (an app reconnecting while its old
// connection lingers is never locked out), and leaves other users' and
// the user's seven others alone. The newest stream is live.
func TestEventStreamsPerUserAreCapped(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{ping: time.Minute})
	c, _ := f.user("vera")
	walt, _ := f.user("walt")
	var streams []*liveStream
	for range 8 {
		streams = append(streams, openStream(t, c))
	}
	walts := openStream(t, walt)
	time.Sleep(100 * time.Millisecond)
	for i, ls := range streams {
		ls.wantOpen(t, fmt.Sprintf("stream %d of 8", i+1))
	}

	newest := openStream(t, c)
	streams[0].wantReplaced(t, time.Second, "the oldest stream, once a ninth opened")
	time.Sleep(100 * time.Millisecond)
	for i, ls := range streams[1:] {
		ls.wantOpen(t, fmt.Sprintf("stream %d of 9", i+2))
	}
	walts.wantOpen(t, "another user's stream")
	first := <-newest.events
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	if _, err := c.Join(context.Background(), cf.campaign.JoinCode); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-newest.events:
		if ev.Version <= first.Version {
			t.Fatalf("the newest stream got version %d, want past %d", ev.Version, first.Version)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("joining a campaign never reached the newest stream")
	}
}

// TestEventStreamEndsAtPasswordChange: a password change ends the
// account's other sign-ins, and their event streams with them at once
// (the keep-alive is a minute away here); the computer that changed it
// keeps its stream, and another volunteer's stream stays open.
func TestEventStreamEndsAtPasswordChange(t *testing.T) {
	f := newFixtureWith(t, fixtureOpts{ping: time.Minute})
	ctx := context.Background()
	c, u := f.user("vera")
	laptop := api.NewClient(f.ts.URL, f.ts.Client())
	res, err := laptop.Login(ctx, api.LoginRequest{Email: u.Email, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	laptop.SetToken(res.Token)
	walt, _ := f.user("walt")
	ended, kept, bystander := openStream(t, laptop), openStream(t, c), openStream(t, walt)
	out, err := c.ChangePassword(ctx, api.PasswordChangeRequest{CurrentPassword: "correct horse battery", NewPassword: "a brand new passphrase"})
	if err != nil || out.SignedOut != 1 {
		t.Fatalf("password change: %+v %v, want the laptop signed out", out, err)
	}
	ended.wantEnded(t, time.Second, "the laptop's stream, after the password change")
	f.wantMe(res.Token, http.StatusUnauthorized, api.CodeUnauthorized)
	kept.wantOpen(t, "the stream of the computer that changed the password")
	bystander.wantOpen(t, "another volunteer's stream")
	f.wantMe(f.token(c), http.StatusOK, "")
}
