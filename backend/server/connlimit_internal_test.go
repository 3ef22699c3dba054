package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// connServer is textbankd's HTTP server on a real loopback listener with
// the connection caps, as Run serves it; tune shortens its time limits.
type connServer struct {
	srv  *Server
	addr string
}

func startConnServer(t *testing.T, perAddr, total int, proxies []netip.Prefix, tune func(*http.Server)) *connServer {
	t.Helper()
	return startConnServerWith(t, Config{TrustedProxies: proxies, MaxConnsPerAddress: perAddr, MaxConns: total}, tune)
}

// startConnServerWith is startConnServer with caps (and proxies) from caps.
func startConnServerWith(t *testing.T, caps Config, tune func(*http.Server)) *connServer {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := New(Config{Store: st, Provider: simnet.New(simnet.Config{}, zerolog.Nop()), Log: zerolog.Nop(),
		BcryptCost: bcrypt.MinCost, PingInterval: 50 * time.Millisecond, TrustedProxies: caps.TrustedProxies,
		MaxConnsPerAddress: caps.MaxConnsPerAddress, MaxConns: caps.MaxConns, WebhookReserve: caps.WebhookReserve})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", srv.Handler())
	// A handler that takes its connection over, as a WebSocket would.
	mux.HandleFunc("/hijack", func(w http.ResponseWriter, r *http.Request) {
		c, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
		buf.Flush()
		go func() { _, _ = io.Copy(io.Discard, c); c.Close() }() // closed once the client has gone
	})
	// A provider's webhook, as serve mounts Twilio's.
	mux.HandleFunc(WebhookPrefix+"test/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	hs := httpServer(mux)
	hs.RegisterOnShutdown(srv.Close)
	if tune != nil {
		tune(hs)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve(srv.limitConns(ln)) }()
	t.Cleanup(func() { hs.Close() })
	return &connServer{srv: srv, addr: ln.Addr().String()}
}

// dial connects from the loopback address from (127.0.0.x).
func (cs *connServer) dial(t *testing.T, from string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", cs.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// answered says whether a new connection from from is served, and keeps
// it open until the test ends; one the server refuses may already be
// reset when the dial returns.
func (cs *connServer) answered(t *testing.T, from string) bool {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", cs.addr)
	if errors.Is(err, syscall.ECONNRESET) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return served(t, c)
}

// served says whether the server answers a request on c 200 (kept alive); a
// connection refused is answered 503 server_busy and closed.
func served(t *testing.T, c net.Conn) bool {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	defer c.SetDeadline(time.Time{})
	if _, err := fmt.Fprint(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		return false
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the server neither answered nor closed the connection")
	}
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// waitOpen waits until the server counts all connections open, from of them
// from key.
func (cs *connServer) waitOpen(t *testing.T, key string, all, from int) {
	t.Helper()
	end := time.Now().Add(5 * time.Second)
	for {
		a, f := cs.srv.conns.counts(key)
		if a == all && f == from {
			return
		}
		if a < 0 || f < 0 {
			t.Fatalf("counts went negative: %d open, %d from %s", a, f, key)
		}
		if time.Now().After(end) {
			t.Fatalf("%d open, %d from %s; want %d and %d", a, f, key, all, from)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestConnCapPerAddress: an address holds at most its cap of connections;
// the next is refused (503 server_busy), other addresses go on, and closing one
// frees its slot.
func TestConnCapPerAddress(t *testing.T) {
	cs := startConnServer(t, 3, 100, nil, nil)
	var held []net.Conn
	for i := range 3 {
		c := cs.dial(t, "127.0.0.1")
		if !served(t, c) {
			t.Fatalf("connection %d within the cap was not served", i+1)
		}
		held = append(held, c)
	}
	if cs.answered(t, "127.0.0.1") {
		t.Fatal("a fourth connection from one address was served; the cap is 3")
	}
	if !cs.answered(t, "127.0.0.2") {
		t.Fatal("another address was refused")
	}
	cs.waitOpen(t, "127.0.0.1", 4, 3)
	held[0].Close()
	cs.waitOpen(t, "127.0.0.1", 3, 2)
	if !cs.answered(t, "127.0.0.1") {
		t.Fatal("a connection closed did not free its slot")
	}
}

// TestConnCapTotal: past the total cap every address is refused, until a
// connection closes.
func TestConnCapTotal(t *testing.T) {
	cs := startConnServer(t, 2, 3, nil, nil)
	first := cs.dial(t, "127.0.0.1")
	if !served(t, first) || !cs.answered(t, "127.0.0.1") || !cs.answered(t, "127.0.0.2") {
		t.Fatal("a connection within the caps was refused")
	}
	if cs.answered(t, "127.0.0.3") {
		t.Fatal("a fourth connection was served; the total cap is 3")
	}
	first.Close()
	cs.waitOpen(t, "127.0.0.1", 2, 1)
	if !cs.answered(t, "127.0.0.3") {
		t.Fatal("a connection closed did not free a slot of the total")
	}
}

// TestConnCapSparesTrustedProxy: a trusted proxy carries every client, so
// its connections count only in the total; an address beside it is still
// capped.
func TestConnCapSparesTrustedProxy(t *testing.T) {
	cs := startConnServer(t, 2, 100, []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, nil)
	for i := range 10 {
		if !cs.answered(t, "127.0.0.1") {
			t.Fatalf("connection %d from the trusted proxy refused", i+1)
		}
	}
	cs.waitOpen(t, "", 10, 0)
	for i := range 2 {
		if !cs.answered(t, "127.0.0.2") {
			t.Fatalf("connection %d from an address beside the proxy refused", i+1)
		}
	}
	if cs.answered(t, "127.0.0.2") {
		t.Fatal("an address that is not the proxy's went past its cap")
	}
}

// TestConnCountFollowsEveryEnd: a connection is uncounted however it ends
// (cut by the header timeout, idle past the keep-alive, hijacked by a
// handler, an event stream the client left, a client gone mid-request),
// so the counts come back to nothing and never below.
func TestConnCountFollowsEveryEnd(t *testing.T) {
	cs := startConnServer(t, 50, 100, nil, func(hs *http.Server) {
		hs.ReadHeaderTimeout = 200 * time.Millisecond
		hs.IdleTimeout = 300 * time.Millisecond
	})
	const me = "127.0.0.1"
	// Sends nothing: cut by the header timeout.
	cs.dial(t, me)
	// Half a request, then gone.
	half := cs.dial(t, me)
	fmt.Fprint(half, "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
	// A request, then idle: closed after the keep-alive.
	if !served(t, cs.dial(t, me)) {
		t.Fatal("not served")
	}
	// Hijacked: the handler owns and closes it.
	hj := cs.dial(t, me)
	fmt.Fprint(hj, "GET /hijack HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp, err := http.ReadResponse(bufio.NewReader(hj), nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("hijacked: %v", err)
	}
	// An event stream.
	raw, _ := json.Marshal(api.SignupRequest{Name: "Vera Volunteer", Email: "vera@example.org", Password: "correct horse battery"})
	sc := cs.dial(t, me)
	fmt.Fprintf(sc, "POST /api/v1/signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(raw), raw)
	resp, err := http.ReadResponse(bufio.NewReader(sc), nil)
	if err != nil {
		t.Fatal(err)
	}
	var signed api.AuthResponse
	if err := json.NewDecoder(resp.Body).Decode(&signed); err != nil {
		t.Fatal(err)
	}
	ev := cs.dial(t, me)
	fmt.Fprintf(ev, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", signed.Token)
	stream := bufio.NewReader(ev)
	if resp, err := http.ReadResponse(stream, nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("event stream: %v", err)
	}
	// The silent one, and the idle ones (the sign-up's too), are closed by
	// the server; the half request, the hijacked one and the stream stay.
	cs.waitOpen(t, me, 3, 3)
	time.Sleep(500 * time.Millisecond) // the stream outlives every timeout
	if _, err := stream.ReadString('\n'); err != nil {
		t.Fatalf("the event stream was cut: %v", err)
	}
	cs.waitOpen(t, me, 3, 3)
	half.Close()
	hj.Close()
	ev.Close()
	cs.waitOpen(t, me, 0, 0)
	cs.srv.conns.mu.Lock()
	keys := len(cs.srv.conns.from)
	cs.srv.conns.mu.Unlock()
	if keys != 0 {
		t.Fatalf("%d addresses left in the table", keys)
	}
}

// TestCountedConnClosedTwice: a connection closed twice (the server's
// shutdown and its own end, say) is uncounted once.
func TestCountedConnClosedTwice(t *testing.T) {
	l := newConnLimiter(2, 2, 0, nil, zerolog.Nop())
	a, b := net.Pipe()
	defer b.Close()
	if over, _ := l.take(connKeys{addr: "192.0.2.1"}); over != "" {
		t.Fatal(over)
	}
	c := &countedConn{Conn: a, l: l, keys: connKeys{addr: "192.0.2.1"}}
	c.Close()
	c.Close()
	if all, from := l.counts("192.0.2.1"); all != 0 || from != 0 {
		t.Fatalf("%d open, %d from the address after two closes; want 0", all, from)
	}
}

// TestConnRefusalsLogSparingly: a flood of refused connections is one log
// line every connLogEvery, saying how many went unlogged, with the
// address, and which cap.
func TestConnRefusalsLogSparingly(t *testing.T) {
	var out bytes.Buffer
	l := newConnLimiter(1, 10, 0, nil, zerolog.New(&out))
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	from := connKeys{addr: "10.1.2.3"}
	l.take(from)
	for range 50 {
		over, _ := l.take(from)
		l.refused(over, from, "10.1.2.3")
	}
	now = now.Add(connLogEvery)
	l.refused(overTotal, connKeys{}, "10.9.9.9")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines for 51 refusals over %v, want 2:\n%s", len(lines), connLogEvery, out.String())
	}
	var first, second map[string]any
	mustUnmarshal(t, lines[0], &first)
	mustUnmarshal(t, lines[1], &second)
	if first["address"] != "10.1.2.3" || !strings.Contains(first["message"].(string), "--max-conns-per-address") ||
		first["hint"] == nil || first["also_refused_since_last_line"] != 0.0 {
		t.Fatalf("first line %v", first)
	}
	if second["address"] != "10.9.9.9" || !strings.Contains(second["message"].(string), "(--max-conns)") ||
		second["also_refused_since_last_line"] != 49.0 {
		t.Fatalf("second line %v", second)
	}
}

func mustUnmarshal(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("%q: %v", s, err)
	}
}

// TestCountedConnClosesWriteHalf: net/http ends an early answer with a FIN
// through CloseWrite; a counted connection passes it to the TCP one.
func TestCountedConnClosesWriteHalf(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	raw, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	l := newConnLimiter(1, 1, 0, nil, zerolog.Nop())
	l.take(connKeys{})
	c := &countedConn{Conn: raw, l: l}
	defer c.Close()
	fmt.Fprint(c, "answer")
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	_ = client.SetReadDeadline(time.Now().Add(5 * time.Second))
	if got, err := io.ReadAll(client); err != nil || string(got) != "answer" {
		t.Fatalf("read %q, %v: want the answer, then end of stream", got, err)
	}
	if _, err := fmt.Fprint(client, "still open"); err != nil {
		t.Fatalf("the read half closed too: %v", err)
	}
}
