package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// binDir holds the textbankd the process tests build once and share.
var binDir string

func TestMain(m *testing.M) {
	migrateKillChild()
	dir, err := os.MkdirTemp("", "textbankd-bin-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	buildOnce sync.Once
	buildErr  error
)

// textbankdBinary builds this command once for the tests that run it as a
// real process (SIGKILL tests).
func textbankdBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(binDir, "textbankd")
	buildOnce.Do(func() {
		build := exec.Command("go", "build", "-o", bin, ".")
		build.Stderr = os.Stderr
		buildErr = build.Run()
	})
	if buildErr != nil {
		t.Fatalf("build textbankd: %v", buildErr)
	}
	return bin
}

// TestPostgresTwoServersKillOne: two `textbankd serve` processes on one
// PostgreSQL database, sending through one network (a Twilio stand-in both
// reach with the real twilio-go client), volunteers spread over both; the
// first server is SIGKILLed halfway and its volunteers and replies move to
// the survivor, repeating unanswered pushes with the same ids. Afterwards
// every accepted text went out exactly once (the network's own count), none
// is left queued or sending (the survivor adopts the dead server's claimed
// texts), no text went out that was not accepted, and every reply is
// stored once.
func TestPostgresTwoServersKillOne(t *testing.T) {
	url := pgtest.MigratedURL(t)
	if testing.Short() {
		t.Skip("builds and kills real servers")
	}
	bin := textbankdBinary(t)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"loadtest", "--json", "--db", url, "--servers", "2", "--kill-one",
		"--server-bin", bin, "--volunteers", "12", "--duration", "6s", "--inbound-rate", "30", "--adopt-grace", "6s"}, &out, &errOut, envOf(nil))
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	var rep struct {
		Engine, Summary, FirstError                     string
		Servers, FailedOver, OrphanedAtKill             int
		Lost, Duplicated, Unaccepted, Unsettled, Failed int
		Dangling                                        int
		Killed                                          bool
		Sends, Inbound                                  struct{ Count int }
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	t.Logf("%s; %d requests failed over, %d texts mid-send at the kill", rep.Summary, rep.FailedOver, rep.OrphanedAtKill)
	switch {
	case rep.Engine != "postgres" || rep.Servers != 2 || !rep.Killed:
		t.Fatalf("ran engine=%s servers=%d killed=%v, want postgres, 2, true", rep.Engine, rep.Servers, rep.Killed)
	case rep.Sends.Count == 0 || rep.Inbound.Count == 0:
		t.Fatalf("nothing was sent or received: %s", rep.Summary)
	case rep.FailedOver == 0:
		t.Fatal("no volunteer moved to the surviving server: the kill was not felt")
	case rep.Lost+rep.Duplicated+rep.Unaccepted+rep.Unsettled+rep.Dangling != 0:
		t.Fatalf("lost %d, duplicated %d, sent unaccepted %d, left unsent %d, rows pointing at nothing %d",
			rep.Lost, rep.Duplicated, rep.Unaccepted, rep.Unsettled, rep.Dangling)
	case rep.Failed != 0:
		t.Fatalf("%d requests got no answer from either server; the first: %s", rep.Failed, rep.FirstError)
	case !strings.Contains(rep.Summary, "lost=0 duplicated=0"):
		t.Fatalf("summary %q", rep.Summary)
	}
}

func TestLoadtestServersBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"servers on sqlite", []string{"--servers", "2"}, "give --db postgres://"},
		{"too many servers", []string{"--servers", "17", "--db", "postgres://u@127.0.0.1:1/x"}, "--servers must be 0"},
		{"negative servers", []string{"--servers", "-1"}, "--servers must be 0"},
		{"kill alone", []string{"--kill-one"}, "--kill-one needs --servers 2"},
		{"kill the only one", []string{"--kill-one", "--servers", "1", "--db", "postgres://u@127.0.0.1:1/x"}, "--kill-one needs --servers 2"},
		{"servers and target", []string{"--servers", "2", "--db", "postgres://u@127.0.0.1:1/x", "--target", "http://127.0.0.1:1", "--inbound-rate", "0"}, "does not go with --target"},
		{"adopt grace on sqlite", []string{"--adopt-grace", "6s"}, "--adopt-grace"},
		{"adopt grace within the lease", []string{"--adopt-grace", "1s", "--db", "postgres://u@127.0.0.1:1/x"}, "--adopt-grace"},
		{"adopt grace over an hour", []string{"--adopt-grace", "2h", "--db", "postgres://u@127.0.0.1:1/x"}, "--adopt-grace"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), append([]string{"loadtest"}, tc.args...), &out, &errOut, envOf(nil))
			if code == 0 || !strings.Contains(errOut.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want an error naming %q", code, errOut.String(), tc.want)
			}
		})
	}
}

// TestPostgresSimServersShareNoDataDir: two `serve --provider sim` on one
// PostgreSQL database given one --data would share one journal of the
// simulated network (simnet-sent.jsonl), each writing its lines between
// the other's and answering lookups from its own memory of it. The second
// is refused at start, naming the directory and the first server's
// process, with the status a restart is no use for; with a --data of its
// own it serves beside the first.
func TestPostgresSimServersShareNoDataDir(t *testing.T) {
	url := pgtest.URL(t)
	if testing.Short() || runtime.GOOS == "windows" {
		t.Skip("runs a real server; Windows takes no lock")
	}
	bin := textbankdBinary(t)
	data := t.TempDir()
	first, _ := startServer(t, bin, "--db", url, "--data", data)
	defer func() { _ = first.Process.Kill(); _ = first.Wait() }()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errOut bytes.Buffer
	code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--provider", "sim", "--db", url, "--data", data, "--log-level", "error"},
		io.Discard, &errOut, envOf(nil))
	want := fmt.Sprintf("another textbankd serve is running on the simulated network's journal in %s (process %d holds %s)",
		data, first.Process.Pid, filepath.Join(data, serveLockName))
	if code != exitRefused || !strings.Contains(errOut.String(), want) {
		t.Fatalf("a second server on the first's --data: exit %d, log %q; want %d and %q", code, errOut.String(), exitRefused, want)
	}
	second, _ := startServer(t, bin, "--db", url, "--data", t.TempDir())
	_ = second.Process.Kill()
	_ = second.Wait()
}
