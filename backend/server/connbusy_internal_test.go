package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// TestConnCapAnswersBusy: a connection past the cap reads a 503 in the
// API's error shape (server_busy, Retry-After, Connection: close) without
// having sent a byte, and the app's client takes it for a busy server
// (api.ErrServerBusy, with the wait), not an unreachable one. The
// connection held within the cap is still served.
func TestConnCapAnswersBusy(t *testing.T) {
	cs := startConnServer(t, 1, 100, nil, nil)
	held := cs.dial(t, "127.0.0.1")
	if !served(t, held) {
		t.Fatal("the connection within the cap was not served")
	}

	// Read before writing anything: the answer comes at once.
	c := cs.dial(t, "127.0.0.1")
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("the refused connection read no answer: %v", err)
	}
	var eb api.ErrorBody
	if err := json.NewDecoder(resp.Body).Decode(&eb); err != nil {
		t.Fatalf("the refusal's body: %v", err)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || eb.Error.Code != api.CodeServerBusy || eb.Error.Message == "" ||
		resp.Header.Get("Retry-After") != "5" || !resp.Close || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("refusal %d %+v %v; want 503 server_busy with a message, Retry-After: 5, Connection: close, JSON", resp.StatusCode, eb, resp.Header)
	}

	// The app's client, from the same address.
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.1")}, Timeout: 5 * time.Second}
	hc := &http.Client{Transport: &http.Transport{DialContext: d.DialContext}, Timeout: 5 * time.Second}
	client := api.NewClient("http://"+cs.addr, hc)
	// On loopback the answer can come before the client has sent its
	// request, and Go's transport then drops it as unsolicited (the app
	// says unreachable, as before): rare (1 in 100 here), and on a real
	// network the round trip makes it rarer still. Most must be busy.
	const tries = 40
	busy := 0
	for range tries {
		_, err = client.Sync(context.Background(), 0, 0)
		var ae *api.APIError
		switch {
		case errors.Is(err, api.ErrServerBusy) && errors.As(err, &ae) && ae.RetryAfter == 5*time.Second && !errors.Is(err, api.ErrUnreachable):
			busy++
		case errors.Is(err, api.ErrUnreachable):
		default:
			t.Fatalf("request past the cap: %v (%T); want api.ErrServerBusy with a 5 s wait", err, err)
		}
	}
	if busy < tries*3/4 {
		t.Fatalf("%d of %d requests past the cap were told the server is busy; the others found it unreachable", busy, tries)
	}
	if !served(t, held) {
		t.Fatal("the connection within the cap was no longer served")
	}
}
