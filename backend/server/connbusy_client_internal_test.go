package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// countingTransport counts the requests the app's client sends.
type countingTransport struct {
	http.RoundTripper
	n atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.RoundTripper.RoundTrip(r)
}

// TestConnCapClientAsksAgain: against a real server held at its
// per-address cap, the app's client asks a sign-in again after the 503
// server_busy (it was refused before the server did anything): while the
// cap stays taken it gives the busy words after its tries, within a few
// seconds, not the minute Retry-After would add up to; once the slot is
// given back, the sign-in reaches the server and gets its own answer. That
// answer (401, wrong email or password) is not asked again.
func TestConnCapClientAsksAgain(t *testing.T) {
	cs := startConnServer(t, 1, 100, nil, nil)
	held := cs.dial(t, "127.0.0.1")
	if !served(t, held) {
		t.Fatal("the connection within the cap was not served")
	}
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.1")}, Timeout: 5 * time.Second}
	tr := &countingTransport{RoundTripper: &http.Transport{DialContext: d.DialContext}}
	client := api.NewClient("http://"+cs.addr, &http.Client{Transport: tr, Timeout: 5 * time.Second})
	login := api.LoginRequest{Email: "vera@example.org", Password: "a long passphrase"}
	ctx := context.Background()

	began := time.Now()
	_, err := client.Login(ctx, login)
	took := time.Since(began)
	if !errors.Is(err, api.ErrServerBusy) || tr.n.Load() < 2 {
		t.Fatalf("sign-in at the cap: %v after %d requests; want busy after asking again", err, tr.n.Load())
	}
	if took < time.Second || took > 6*time.Second {
		t.Fatalf("sign-in at the cap gave up after %v; want a few seconds of asking again", took)
	}

	// The slot is given back while the client waits to ask again.
	tr.n.Store(0)
	go func() {
		time.Sleep(300 * time.Millisecond)
		held.Close()
	}()
	_, err = client.Login(ctx, login)
	if !api.IsCode(err, api.CodeBadCredentials) || tr.n.Load() < 2 {
		t.Fatalf("sign-in as the cap frees: %v after %d requests; want the server's own refusal after asking again", err, tr.n.Load())
	}

	// A refusal that is not busy is shown at once.
	tr.n.Store(0)
	if _, err := client.Login(ctx, login); !api.IsCode(err, api.CodeBadCredentials) || tr.n.Load() != 1 {
		t.Fatalf("wrong password: %v after %d requests; want it asked once", err, tr.n.Load())
	}
}
