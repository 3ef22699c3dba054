//go:build !windows

package main

import (
	"bytes"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeStopsCleanlyOnHangup: SIGHUP (a logout from the SSH session a
// server was started from with `&`, or a log rotation's habitual
// `kill -HUP`) stops textbankd as SIGTERM does, finishing what is under way
// and saying so, with exit status 0, rather than ending it as abruptly as
// SIGKILL (on PostgreSQL the other servers would then wait out
// --adopt-grace for its texts).
func TestServeStopsCleanlyOnHangup(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a real server")
	}
	bin := textbankdBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			var logs bytes.Buffer
			cmd, _ := startServerLogging(t, bin, &logs, "--data", t.TempDir())
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("textbankd ended with %v after %v, want exit status 0; log:\n%s", err, sig, logs.String())
				}
			case <-time.After(20 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("textbankd still running 20 s after %v", sig)
			}
			if !strings.Contains(logs.String(), "shutting down") {
				t.Fatalf("no \"shutting down\" in the log after %v:\n%s", sig, logs.String())
			}
		})
	}
}
