package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// serveSim runs `textbankd serve --provider sim` with args in this
// process until the test ends, and returns its URL once it is healthy.
func serveSim(t *testing.T, args ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", addr, "--provider", "sim", "--log-level", "error"}, args...),
			io.Discard, io.Discard, envOf(nil))
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exit %d", code)
		}
	})
	for deadline := time.Now().Add(15 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return "http://" + addr
			}
		}
		select {
		case code := <-done:
			done <- code
			t.Fatalf("serve exited %d", code)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("serve never became healthy")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// loadTarget runs the load driver against target (no --inbound-rate: a
// target's default is none) and checks that its
// summary reads nothing lost or doubled, and that it read the target's
// simulated network's journal to say so.
func loadTarget(t *testing.T, engine, data string, args ...string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"loadtest", "--volunteers", "3", "--duration", "1500ms", "--contacts", "2000"}, args...),
		&out, &errOut, envOf(nil))
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	re := regexp.MustCompile(`^loadtest: engine=` + engine + ` volunteers=3 sends=[1-9]\d* sends_per_s=\d+ baseline_per_s=\d+ inbound=0 lost=0 duplicated=0$`)
	if last := lines[len(lines)-1]; !re.MatchString(last) {
		t.Fatalf("last line %q does not match %s\n%s", last, re, out.String())
	}
	if !strings.Contains(out.String(), "the target's simulated network's journal, ") || !strings.Contains(out.String(), simnet.JournalFile) {
		t.Errorf("the report does not say the target's journal was read:\n%s", out.String())
	}
	checkLeftFictional(t, out.String(), data)
}

// TestLoadtestTarget: --target against `serve --provider sim` reads the
// target's own network journal in --data (it once read only the database,
// yet printed duplicated=0).
func TestLoadtestTarget(t *testing.T) {
	data := t.TempDir()
	target := serveSim(t, "--data", data)
	loadTarget(t, "sqlite", data, "--target", target, "--data", data)
}

// TestPostgresLoadtestTarget: --target with --db postgres://... checks a
// target on PostgreSQL (it once required textbank.db in --data and
// refused --db); the journal is still in the target's --data.
func TestPostgresLoadtestTarget(t *testing.T) {
	url := pgtest.MigratedURL(t)
	data := filepath.Join(t.TempDir(), "data")
	target := serveSim(t, "--db", url, "--data", data)
	loadTarget(t, "postgres", "", "--target", target, "--db", url, "--data", data)
}

// TestLoadtestTargetRefusesAnotherServersDatabase: a --data (or --db) that
// is not the target's own database passed every check of the target (it
// answers simulated, the other directory holds a simulated network's
// journal too), and the run wrote its campaign of 2,000 contacts into
// that other database. Now an account made through the target must be in
// the database, or nothing is written there.
func TestLoadtestTargetRefusesAnotherServersDatabase(t *testing.T) {
	mine, other := t.TempDir(), t.TempDir()
	target := serveSim(t, "--data", mine)
	serveSim(t, "--data", other)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"loadtest", "--volunteers", "3", "--duration", "1500ms", "--contacts", "2000",
		"--target", target, "--data", other}, &out, &errOut, envOf(nil))
	if code == 0 || !strings.Contains(errOut.String(), "is not the one the server at --target uses") {
		t.Fatalf("exit %d, want a refusal naming the mismatch\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	_, list, listErr := runCLI(t, nil, "", "campaign", "list", "--all", "--data", other)
	if strings.Contains(list, "Load test") {
		t.Fatalf("the refused run left its campaign in the other database:\n%s%s", list, listErr)
	}
}
