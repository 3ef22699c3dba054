package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
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

	// The answer comes once the request has begun.
	c := cs.dial(t, "127.0.0.1")
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Write([]byte("GET /api/v1/sync HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
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
	// Every one: the answer waits for the request, so Go's transport never
	// drops it as unsolicited (it did a third of the time under load when
	// it was written at once).
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
	if busy < tries {
		t.Fatalf("%d of %d requests past the cap were told the server is busy; the others found it unreachable", busy, tries)
	}
	if !served(t, held) {
		t.Fatal("the connection within the cap was no longer served")
	}
}

// TestConnCapFloodAnsweredAtOnce: refusals waiting for their requests are
// bounded (refusing); past them, a connection that sends nothing is
// answered at once, so a flood of silent connections holds no more than
// refusing goroutines.
func TestConnCapFloodAnsweredAtOnce(t *testing.T) {
	cs := startConnServer(t, 1, 100, nil, nil)
	held := cs.dial(t, "127.0.0.1")
	if !served(t, held) {
		t.Fatal("the connection within the cap was not served")
	}
	silent := make([]net.Conn, refusing)
	for i := range silent {
		silent[i] = cs.dial(t, "127.0.0.1")
	}
	// Every slot taken by a silent connection (each waits refuseRead for
	// its request): the next is answered without having sent a byte.
	deadline := time.Now().Add(5 * time.Second)
	for len(cs.srv.conns.answering) < refusing && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	c := cs.dial(t, "127.0.0.1")
	_ = c.SetReadDeadline(time.Now().Add(refuseRead / 2))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("past %d waiting refusals, a silent connection read %v, %v; want the 503 at once", refusing, resp, err)
	}
	// The silent ones are closed unanswered once refuseRead has passed.
	_ = silent[0].SetReadDeadline(time.Now().Add(refuseRead + 3*time.Second))
	if n, err := silent[0].Read(make([]byte, 1)); n != 0 || err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a silent connection read %d bytes, %v; want it closed unanswered", n, err)
	}
}
