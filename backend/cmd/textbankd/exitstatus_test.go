package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/textbank/textbank/backend/schema"
	"github.com/textbank/textbank/backend/sms/twilio"
)

// TestServeRefusalsExitEXConfig: a start a restart cannot fix (another
// server on --data, --data a PostgreSQL server's) exits exitRefused, the
// status the systemd unit names in RestartPreventExitStatus=; a database
// that does not answer may answer after a restart, and exits 1 (restarted).
// Both exited 1, and systemd restarted the refusals until its start limit.
func TestServeRefusalsExitEXConfig(t *testing.T) {
	serve := func(t *testing.T, args ...string) (int, string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var errOut strings.Builder
		code := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "error"}, args...), &strings.Builder{}, &errOut, envOf(nil))
		if ctx.Err() != nil {
			t.Fatalf("serve %v did not stop by itself", args)
		}
		return code, errOut.String()
	}
	t.Run("another server on --data", func(t *testing.T) {
		dir := t.TempDir()
		release, _, err := lockServe(dir, "the database")
		if err != nil {
			t.Skip(err) // Windows takes no lock
		}
		defer release()
		if code, log := serve(t, "--data", dir); code != exitRefused || !strings.Contains(log, "another textbankd serve is running") {
			t.Fatalf("exit %d, log %q; want %d", code, log, exitRefused)
		}
	})
	t.Run("a PostgreSQL server's --data", func(t *testing.T) {
		dir := t.TempDir()
		if err := markPostgresDataDir(dir, "postgres://tb@db.example.org/tb"); err != nil {
			t.Fatal(err)
		}
		if code, log := serve(t, "--data", dir); code != exitRefused || !strings.Contains(log, "runs on PostgreSQL") {
			t.Fatalf("exit %d, log %q; want %d", code, log, exitRefused)
		}
	})
	t.Run("database unreachable", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // nothing listens there now
		code, log := serve(t, "--data", t.TempDir(), "--provider", "sim", "--db", "postgres://tb@"+addr+"/tb?sslmode=disable&connect_timeout=5")
		if code != 1 || !strings.Contains(log, "cannot connect to postgres") {
			t.Fatalf("exit %d, log %q; want 1", code, log)
		}
	})
}

// TestServeExit: which of serve's errors are refusals, however wrapped.
func TestServeExit(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{fmt.Errorf("listen tcp 127.0.0.1:8787: bind: address already in use"), 1},
		{fmt.Errorf("open: %w", refuse(fmt.Errorf("--data is a file"))), exitRefused},
		{refuse(dataDirDeniedMsg("/var/lib/textbank", "textbank", 0o700, "root", "written", &fs.PathError{Op: "open", Path: "/var/lib/textbank/textbankd.lock", Err: syscall.EACCES})), exitRefused},
		// Checks of --data that the system failed, not refused: may pass.
		{refuse(&fs.PathError{Op: "open", Path: "/var/lib/textbank/textbankd.lock", Err: syscall.ENOSPC}), 1},
		{refuse(fmt.Errorf("lock /mnt/nfs/textbankd.lock: %w", syscall.ENOLCK)), 1},
		{refuse(fmt.Errorf("simnet: journal: %w", &fs.PathError{Op: "read", Path: "simnet-sent.jsonl", Err: syscall.EIO})), 1},
		{fmt.Errorf("migrate: %w", schema.ErrTooNew), exitRefused},
		// PostgreSQL refusing the database, or cutting the connection.
		{fmt.Errorf("cannot connect to postgres: %w", &pgconn.PgError{Code: "3D000", Message: `database "tb" does not exist`}), exitRefused},
		{fmt.Errorf("migrate: %w", &pgconn.PgError{Code: "42501", Message: "permission denied for schema public"}), exitRefused},
		{fmt.Errorf("cannot connect to postgres: %w", &pgconn.PgError{Code: "57P03", Message: "the database system is starting up"}), 1},
		{fmt.Errorf("%w: the account SID and the auth token do not go together", twilio.ErrCredentialsRefused), exitRefused},
	} {
		if got := serveExit(tc.err); got != tc.want {
			t.Errorf("serveExit(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
	if refuse(nil) != nil {
		t.Error("refuse(nil) is not nil")
	}
}

// TestTokenFileFaultsAreRestarted: --twilio-auth-token-file that the
// operator must fix (missing, a directory, unreadable by textbankd's
// user, empty, not a token) exits exitRefused and is left stopped; one the
// system failed to read (a disk's I/O error) may read at the next start,
// and exits 1 for the supervisor to restart, as a --data on a failing disk
// does. Every such failure exited 78, and a server whose token sat on a
// disk with a passing fault stayed down until someone started it.
func TestTokenFileFaultsAreRestarted(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, path string
		want       int
	}{
		{"missing", filepath.Join(dir, "no-such-token"), exitRefused},
		{"a directory", dir, exitRefused},
		{"empty", file("empty", "\n", 0o600), exitRefused},
		{"not a token", file("malformed", "paste your token here\n", 0o600), exitRefused},
	}
	if os.Geteuid() != 0 { // root reads a file of mode 0000
		cases = append(cases, struct {
			name, path string
			want       int
		}{"unreadable", file("unreadable", "0123456789abcdef0123456789abcdef\n", 0), exitRefused})
	}
	// Reading a process's memory from offset 0, which nothing maps, is
	// the kernel's EIO: a read that failed, as a failing disk's does.
	if _, err := os.ReadFile("/proc/self/mem"); errors.Is(err, syscall.EIO) {
		cases = append(cases, struct {
			name, path string
			want       int
		}{"an I/O error", "/proc/self/mem", 1})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var errOut strings.Builder
			code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--provider", "twilio",
				"--twilio-account-sid", "AC0123456789abcdef0123456789abcdef", "--twilio-auth-token-file", tc.path,
				"--public-url", "https://texts.example.org"}, &strings.Builder{}, &errOut, envOf(nil))
			if code != tc.want || !strings.Contains(errOut.String(), "token") {
				t.Fatalf("exit %d, stderr %q; want %d and the token named", code, errOut.String(), tc.want)
			}
		})
	}
}
