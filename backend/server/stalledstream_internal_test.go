package server

import (
	"context"
	"encoding/json"
	"fmt"
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

// smallBuffers makes every accepted connection's send buffer small, so
// that a client that does not read fills it within a second of pings.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(1024)
	}
	return c, err
}

// TestStalledStreamIsReleased: an event stream whose client stops reading
// (it answers TCP's window probes, so the connection never dies) is let go
// once a write has waited streamWrite, its hub entry with it. Before, its
// write blocked for good once the socket's buffers filled: the soak's
// question of what an SSE client can hold that is never released.
func TestStalledStreamIsReleased(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := New(Config{Store: st, Provider: simnet.New(simnet.Config{}, zerolog.Nop()), Log: zerolog.Nop(),
		BcryptCost: bcrypt.MinCost, PingInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.streamWrite = 300 * time.Millisecond
	hs := httpServer(srv.Handler())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = hs.Serve(smallBuffers{ln}) }()
	defer hs.Close()

	raw, _ := json.Marshal(api.SignupRequest{Name: "Vera Volunteer", Email: "vera@example.org", Password: "correct horse battery"})
	resp, err := http.Post("http://"+ln.Addr().String()+"/api/v1/signup", "application/json", strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var signed api.AuthResponse
	if err := json.NewDecoder(resp.Body).Decode(&signed); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.(*net.TCPConn).SetReadBuffer(1024)
	fmt.Fprintf(conn, "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", signed.Token)
	// Never read: the pings pile up in the sockets' buffers.
	streams := func() int {
		srv.hub.mu.Lock()
		defer srv.hub.mu.Unlock()
		return len(srv.hub.users[signed.User.ID])
	}
	opened := false
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		n := streams()
		opened = opened || n > 0
		if opened && n == 0 {
			return
		}
	}
	if !opened {
		t.Fatal("the event stream never opened")
	}
	t.Fatal("a stream whose client stopped reading was still held after 20 s")
}
