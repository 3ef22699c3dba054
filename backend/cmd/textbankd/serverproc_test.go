package main

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"
)

// startServer runs bin serve on the simulated network with dbArgs (its
// database), its log (errors only) on the test's stderr, once healthy.
func startServer(t *testing.T, bin string, dbArgs ...string) (*exec.Cmd, string) {
	t.Helper()
	return startServerLogging(t, bin, os.Stderr, append([]string{"--log-level", "error"}, dbArgs...)...)
}

// startServerLogging is startServer with the server's log written to w (at
// info level unless args say otherwise).
func startServerLogging(t *testing.T, bin string, w io.Writer, args ...string) (*exec.Cmd, string) {
	t.Helper()
	return startServeProc(t, bin, nil, w, append([]string{"--provider", "sim"}, args...)...)
}

// startServeProc runs bin serve with args (its provider among them) and env
// added to this process's environment, its log written to w, once healthy.
func startServeProc(t *testing.T, bin string, env []string, w io.Writer, args ...string) (*exec.Cmd, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd, base
			}
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatal("textbankd never became healthy")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
