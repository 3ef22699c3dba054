package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
)

// TestHealthzReportsLinkedVersion builds textbankd the way the Makefile
// does (-ldflags -X main.version=...) and reads the version back from a
// running server's /healthz, in demo mode and not.
func TestHealthzReportsLinkedVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	const want = "9.8.7-test"
	bin := filepath.Join(t.TempDir(), "textbankd")
	build := exec.Command("go", "build", "-ldflags", "-X main.version="+want, "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, extra := range [][]string{nil, {"--demo"}} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cmd := exec.CommandContext(ctx, bin, append([]string{"serve", "--addr", addr, "--data", t.TempDir(), "--log-level", "error"}, extra...)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var health api.Health
		for {
			resp, err := http.Get("http://" + addr + "/healthz")
			if err == nil {
				err = json.NewDecoder(resp.Body).Decode(&health)
				resp.Body.Close()
				if err == nil && resp.StatusCode == 200 {
					break
				}
			}
			if ctx.Err() != nil {
				t.Fatalf("serve %v never became healthy", extra)
			}
			time.Sleep(50 * time.Millisecond)
		}
		cancel()
		_ = cmd.Wait()
		if !health.OK || health.Version != want {
			t.Fatalf("serve %v: /healthz = %+v, want ok and version %q", extra, health, want)
		}
	}
}
