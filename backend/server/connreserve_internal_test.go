package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
)

// TestWebhookReserve: a crowd holding every connection the server takes
// (as one behind a trusted proxy can) no longer shuts out the provider's
// webhooks: past the total a webhook's request is served, on a connection
// closed after it, while any other is answered 503 server_busy as before;
// past the reserve (Config.WebhookReserve, serve's --webhook-reserve) too,
// everyone is refused.
func TestWebhookReserve(t *testing.T) {
	cs := startConnServerWith(t, Config{MaxConnsPerAddress: 10, MaxConns: 2, WebhookReserve: 1}, nil)
	for i := range 2 {
		if !served(t, cs.dial(t, "127.0.0.1")) {
			t.Fatalf("the crowd's connection %d, within the caps, was refused", i+1)
		}
	}
	// Past the total: the app's requests are refused, in the same words.
	resp := ask(t, cs, "127.0.0.2", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	var body api.ErrorBody
	if resp == nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "5" || !resp.Close ||
		json.NewDecoder(resp.Body).Decode(&body) != nil || body.Error.Code != api.CodeServerBusy {
		t.Fatalf("a request past the total that is no webhook's: %+v, %+v; want 503 server_busy, Retry-After 5, closed", resp, body)
	}
	cs.waitOpen(t, "127.0.0.2", 2, 0)
	// A webhook's is served, and its connection then closed.
	resp = ask(t, cs, "127.0.0.3", "POST /webhooks/test/inbound HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
	if resp == nil || resp.StatusCode != http.StatusNoContent || !resp.Close {
		t.Fatalf("a webhook past the total: %+v; want it served, on a connection closed after", resp)
	}
	cs.waitOpen(t, "127.0.0.3", 2, 0)
	// The reserve held (by a connection yet to send its request), a
	// webhook too is refused.
	cs.dial(t, "127.0.0.4")
	cs.waitOpen(t, "127.0.0.4", 3, 1)
	if resp := ask(t, cs, "127.0.0.5", "POST /webhooks/test/inbound HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"); resp != nil && resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("a webhook past the total and the reserve: %d; want it refused", resp.StatusCode)
	}
}

// TestWebhookReserveDefault: a server configured without a reserve (a
// Config from before --webhook-reserve, a test) keeps the default's.
func TestWebhookReserveDefault(t *testing.T) {
	for _, tc := range []struct{ given, want int }{{0, DefaultWebhookReserve}, {-1, DefaultWebhookReserve}, {500, 500}} {
		if got := newConnLimiter(0, 0, tc.given, nil, zerolog.Nop()).reserve; got != tc.want {
			t.Errorf("a reserve of %d configured: %d; want %d", tc.given, got, tc.want)
		}
	}
}

// ask sends the raw request req on a new connection from from and reads
// the answer; nil when the connection was reset before one came.
func ask(t *testing.T, cs *connServer, from, req string) *http.Response {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", cs.addr)
	if errors.Is(err, syscall.ECONNRESET) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := fmt.Fprint(c, req); err != nil {
		return nil
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return nil
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestWebhookReserveReadsQuickly: a request on a connection in the
// reserve is read within the reserve's bound, headers and body, or the
// connection is closed and its slot freed: a crowd posting slowly to a
// webhook's path held each slot for the server's ReadTimeout (30 s). A
// webhook sent at once is served as before.
func TestWebhookReserveReadsQuickly(t *testing.T) {
	cs := startConnServer(t, 10, 2, nil, nil)
	cs.srv.conns.mu.Lock()
	cs.srv.conns.reserve = 1
	cs.srv.conns.reserveRead = 300 * time.Millisecond
	cs.srv.conns.mu.Unlock()
	for i := range 2 {
		if !served(t, cs.dial(t, "127.0.0.1")) {
			t.Fatalf("the crowd's connection %d, within the caps, was refused", i+1)
		}
	}
	for _, tc := range []struct{ name, sent string }{
		{"a body that never comes", "POST /webhooks/test/inbound HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nFrom="},
		{"headers that never end", "POST /webhooks/test/inbound HTTP/1.1\r\nHost: x\r\n"},
	} {
		c := cs.dial(t, "127.0.0.3")
		cs.waitOpen(t, "127.0.0.3", 3, 1)
		start := time.Now()
		if _, err := fmt.Fprint(c, tc.sent); err != nil {
			t.Fatal(err)
		}
		// The server closes it (answering 400 or not at all) once the
		// bound has passed; the slot is free again.
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, _ = io.Copy(io.Discard, c)
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("%s: the reserved connection was held %v; want it closed after about 300ms", tc.name, took)
		}
		cs.waitOpen(t, "127.0.0.3", 2, 0)
	}
	resp := ask(t, cs, "127.0.0.4", "POST /webhooks/test/inbound HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
	if resp == nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("a webhook sent at once, past the total: %+v; want it served", resp)
	}
}

// TestWebhookReserveFullIsLogged: a connection refused past the total and
// the whole reserve is logged with how full the reserve is, so that an
// operator whose provider's webhooks are refused (error 11200 in Twilio's
// console) reads that --webhook-reserve is what to raise.
func TestWebhookReserveFullIsLogged(t *testing.T) {
	var out bytes.Buffer
	l := newConnLimiter(5, 1, 2, nil, zerolog.New(&out))
	for i := range 3 {
		if over, reserved := l.take(connKeys{addr: fmt.Sprintf("10.0.0.%d", i)}); over != "" || reserved != (i > 0) {
			t.Fatalf("connection %d: over %q, reserved %v", i+1, over, reserved)
		}
	}
	over, _ := l.take(connKeys{addr: "10.0.0.9"})
	l.refused(over, connKeys{addr: "10.0.0.9"}, "10.0.0.9")
	var line map[string]any
	mustUnmarshal(t, strings.TrimSpace(out.String()), &line)
	if over != overTotal || line["in_webhook_reserve"] != 2.0 || line["webhook_reserve"] != 2.0 || line["max"] != 1.0 {
		t.Fatalf("over %q, logged %v; want the total's refusal with the reserve's 2 of 2 in use", over, line)
	}
}
