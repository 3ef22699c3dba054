package server_test

import (
	"context"
	"encoding/json"
	"io"
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
