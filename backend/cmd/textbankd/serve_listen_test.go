package main

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeOnATakenPortLeavesNoDataDirectory: a serve that cannot listen
// says so and makes no --data directory (nor its parents); an existing one
// keeps just what it had.
func TestServeOnATakenPortLeavesNoDataDirectory(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	addr := taken.Addr().String()
	parent := filepath.Join(t.TempDir(), "srv")
	data := filepath.Join(parent, "textbank")
	var stderr strings.Builder
	code := run(context.Background(), []string{"serve", "--addr", addr, "--data", data, "--log-level", "error"}, io.Discard, &stderr, envOf(nil))
	if code != 1 || !strings.Contains(stderr.String(), "listen on "+addr) {
		t.Fatalf("exit %d, stderr %q; want the port named", code, stderr.String())
	}
	if _, err := os.Stat(parent); !os.IsNotExist(err) {
		t.Fatalf("serve on a taken port made %s: %v", parent, err)
	}

	existing := t.TempDir()
	stderr.Reset()
	code = run(context.Background(), []string{"serve", "--addr", addr, "--data", existing, "--log-level", "error"}, io.Discard, &stderr, envOf(nil))
	if code != 1 || !strings.Contains(stderr.String(), "listen on "+addr) {
		t.Fatalf("exit %d, stderr %q; want the port named", code, stderr.String())
	}
	entries, _ := os.ReadDir(existing)
	for _, e := range entries {
		if e.Name() != "textbankd.lock" { // serve's lock on unix: harmless, reused
			t.Fatalf("serve on a taken port made %s in the existing --data", e.Name())
		}
	}
}
