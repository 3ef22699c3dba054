package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// TestReadTimeoutCutsSlowBodiesNotStreams: with textbankd's HTTP server
// (its read timeout shortened), a request whose body never comes is let go
// in about that time, where before it held its connection for ever, while
// an event stream lives on well past it.
func TestReadTimeoutCutsSlowBodiesNotStreams(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := New(Config{Store: st, Provider: simnet.New(simnet.Config{}, zerolog.Nop()), Log: zerolog.Nop(),
		BcryptCost: bcrypt.MinCost, PingInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	const readTimeout = 400 * time.Millisecond
	hs := httpServer(srv.Handler())
	hs.ReadTimeout = readTimeout
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	base := "http://" + ln.Addr().String()

	// A body that never comes, to a request answered early (401).
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "POST /api/v1/mutations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	start := time.Now()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("a request whose body never came still held its connection after %v", time.Since(start))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("let go after %v, want about %v", d, readTimeout)
	}

	// An event stream outlives the read timeout several times over.
	raw, _ := json.Marshal(api.SignupRequest{Name: "Vera Volunteer", Email: "vera@example.org", Password: "correct horse battery"})
	resp, err := http.Post(base+"/api/v1/signup", "application/json", strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var signed api.AuthResponse
	if err := json.NewDecoder(resp.Body).Decode(&signed); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+signed.Token)
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	lines := bufio.NewScanner(stream.Body)
	until := time.Now().Add(4 * readTimeout)
	pings := 0
	for time.Now().Before(until) {
		if !lines.Scan() {
			t.Fatalf("the event stream ended after %v (%d pings): %v", time.Since(until.Add(-4*readTimeout)), pings, lines.Err())
		}
		if lines.Text() == ": ping" {
			pings++
		}
	}
}
