package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// TestRun serves a real listener: the API, a mounted handler beside it,
// the attached network, then Close stops all of it.
func TestRun(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "run.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	netw := simnet.New(simnet.Config{Mix: map[simnet.Kind]int{simnet.Silent: 1}, Seed: 1}, zerolog.Nop())
	defer netw.Close()
	var attached *server.Server
	run, err := server.Run(ctx, server.RunOptions{
		Config: server.Config{Store: st, Provider: netw, Log: zerolog.Nop(), Version: "1.2.3"},
		Attach: func(s *server.Server) { attached = s; netw.Attach(s) },
		Mount: func(s *server.Server, mux *http.ServeMux) {
			mux.HandleFunc("/webhooks/test/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hook") })
		},
		FeedWatch: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if attached != run.Server || !strings.HasPrefix(run.URL, "http://127.0.0.1:") || run.URL != "http://"+run.Addr {
		t.Fatalf("Running = %+v (attached %p)", run, attached)
	}
	var health api.Health
	resp, err := http.Get(run.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if err != nil || !health.OK || health.Version != "1.2.3" {
		t.Fatalf("/healthz = %+v, %v", health, err)
	}
	resp, err = http.Get(run.URL + "/webhooks/test/x")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hook" {
		t.Fatalf("mounted handler answered %q", body)
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := run.Close(cctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-run.Failed():
		t.Fatalf("Failed after a clean Close: %v", err)
	default:
	}
	if _, err := http.Get(run.URL + "/healthz"); err == nil {
		t.Fatal("still serving after Close")
	}
}

func TestRunBadOptions(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "run.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := server.Run(ctx, server.RunOptions{Config: server.Config{Store: st}}); err == nil || !strings.Contains(err.Error(), "Provider") {
		t.Fatalf("Run without a provider: %v", err)
	}
	netw := simnet.New(simnet.Config{Mix: map[simnet.Kind]int{simnet.Silent: 1}, Seed: 1}, zerolog.Nop())
	defer netw.Close()
	if _, err := server.Run(ctx, server.RunOptions{Config: server.Config{Store: st, Provider: netw}, Addr: "256.0.0.1:1"}); err == nil ||
		!strings.Contains(err.Error(), "256.0.0.1:1") {
		t.Fatalf("Run on a bad address: %v", err)
	}
}

// TestRunCapsConnections: the server Run starts refuses a client's
// connections past Config.MaxConnsPerAddress with 503 server_busy.
func TestRunCapsConnections(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "run.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	run, err := server.Run(ctx, server.RunOptions{Config: server.Config{Store: st, Provider: simnet.New(simnet.Config{}, zerolog.Nop()),
		Log: zerolog.Nop(), MaxConnsPerAddress: 2}})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close(ctx)
	healthz := func() (int, error) {
		c, err := net.Dial("tcp", run.Addr)
		if err != nil {
			return 0, err
		}
		t.Cleanup(func() { c.Close() })
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprint(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	for i := range 2 {
		if code, err := healthz(); err != nil || code != http.StatusOK {
			t.Fatalf("connection %d: %d %v", i+1, code, err)
		}
	}
	if code, err := healthz(); err != nil || code != http.StatusServiceUnavailable {
		t.Fatalf("a third connection from one address: %d %v, want 503 server_busy", code, err)
	}
}
