package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
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
	// textbankd version and --version print what -X linked in.
	for _, arg := range []string{"version", "--version"} {
		out, err := exec.Command(bin, arg).Output()
		if err != nil || string(out) != "textbankd "+want+"\n" {
			t.Fatalf("textbankd %s: %q, %v; want %q", arg, out, err, "textbankd "+want+"\n")
		}
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

// TestVersionCommand: textbankd version (and --version) prints the linked
// version on stdout and exits 0; a build without one says how to get one;
// an extra argument is a usage mistake (exit 2).
func TestVersionCommand(t *testing.T) {
	saved := version
	t.Cleanup(func() { version = saved })
	for _, c := range []struct{ linked, want string }{
		{"1.2.3", "textbankd 1.2.3\n"},
		{"dev", "textbankd dev (built without a version; make textbankd stamps the release's)\n"},
	} {
		version = c.linked
		for _, arg := range []string{"version", "--version", "-version"} {
			code, out, errOut := runCLI(t, nil, "", arg)
			if code != 0 || out != c.want || errOut != "" {
				t.Errorf("%s with version %q: exit %d, stdout %q, stderr %q; want 0, %q", arg, c.linked, code, out, errOut, c.want)
			}
		}
	}
	// --json, and TEXTBANK_JSON, as every command takes them: the string
	// /healthz reports. It was refused as an argument ("takes no arguments").
	version = "1.2.3"
	for _, c := range []struct {
		env  map[string]string
		args []string
	}{{nil, []string{"version", "--json"}}, {nil, []string{"--version", "--json"}}, {map[string]string{"TEXTBANK_JSON": "1"}, []string{"version"}}} {
		code, out, errOut := runCLI(t, c.env, "", c.args...)
		var got struct{ Version string }
		if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || got.Version != "1.2.3" || errOut != "" {
			t.Errorf("%v (env %v): exit %d, stdout %q (%v), stderr %q; want {\"version\": \"1.2.3\"}", c.args, c.env, code, out, err, errOut)
		}
	}
	if code, _, errOut := runCLI(t, map[string]string{"TEXTBANK_JSON": "maybe"}, "", "version"); code != 2 || !strings.Contains(errOut, "TEXTBANK_JSON") {
		t.Errorf("version with TEXTBANK_JSON=maybe: exit %d, stderr %q; want 2 naming the variable", code, errOut)
	}
	if code, out, _ := runCLI(t, nil, "", "version", "--help"); code != 0 || !strings.Contains(out, "-json") {
		t.Errorf("version --help: exit %d, %q; want 0 listing -json", code, out)
	}
	code, out, errOut := runCLI(t, nil, "", "version", "extra")
	if code != 2 || out != "" || !strings.Contains(errOut, "takes no arguments") {
		t.Errorf("version extra: exit %d, stdout %q, stderr %q; want 2 and a complaint", code, out, errOut)
	}
	// A command that takes none says so in words ("1 argument").
	code, _, errOut = runCLI(t, nil, "", "migrate", "--data", t.TempDir(), "extra")
	if code != 2 || !strings.Contains(errOut, "textbankd migrate: want no arguments, got 1 argument\n") {
		t.Errorf("migrate extra: exit %d, stderr %q; want 2 and \"got 1 argument\"", code, errOut)
	}
	// The usage lists the command.
	_, out, _ = runCLI(t, nil, "", "--help")
	if !strings.Contains(out, "textbankd version ") {
		t.Errorf("--help does not list textbankd version:\n%s", out)
	}
}
