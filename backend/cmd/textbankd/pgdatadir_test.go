package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestPostgresDataDirRefusesSQLite: the operator's guide writes most
// organizer commands with --data /var/lib/textbank. On a server that runs
// on PostgreSQL (TEXTBANK_DB in its unit, not in the operator's shell)
// such a command used to open a new, empty SQLite database in that
// directory: users add said "Created account" for an account the server
// never saw, and users sign-out --all --yes said "Ended 0 sign-ins" while
// every sign-in stayed valid. serve --db leaves a note in its --data;
// SQLite there is refused, for serve too (a restart without TEXTBANK_DB
// would serve an empty campaign), naming the database without its
// password; --db still works.
func TestPostgresDataDirRefusesSQLite(t *testing.T) {
	url := pgtest.URL(t)
	data := t.TempDir()
	token := writeFile(t, t.TempDir(), "token", "0123456789abcdef0123456789abcdef\n")
	// Twilio, as in production: its --data holds no journal, so the
	// directory is empty but for the note. Its API is unreachable: the
	// account check gives up after 2 s and serves anyway.
	serveSim(t, "--db", url, "--data", data, "--provider", "twilio", "--twilio-account-sid", "AC0123456789abcdef0123456789abcdef",
		"--twilio-auth-token-file", token, "--twilio-api-url", "http://127.0.0.1:1", "--public-url", "https://texts.example.org")

	for _, args := range [][]string{
		{"users", "add", "orla@springfieldvotes.org", "--name", "Orla Organizer", "--data", data},
		{"users", "sign-out", "--all", "--yes", "--data", data},
		{"campaign", "list", "--data", data},
	} {
		code, out, errOut := runCLI(t, nil, "correct horse battery\n", args...)
		if code == 0 || !strings.Contains(errOut, "runs on PostgreSQL") || !strings.Contains(errOut, "--db") ||
			strings.Contains(out, "Created account") || strings.Contains(out, "Ended") {
			t.Errorf("%v on a PostgreSQL server's --data: exit %d, stdout %q, stderr %q; want a refusal naming --db", args, code, out, errOut)
		}
	}
	// Refused at once; without the refusal it would serve until stopped.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errOut bytes.Buffer
	if code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--log-level", "error"}, &bytes.Buffer{}, &errOut, envOf(nil)); code == 0 ||
		!strings.Contains(errOut.String(), "runs on PostgreSQL") {
		t.Errorf("serve on SQLite in a PostgreSQL server's --data: exit %d, %q", code, errOut.String())
	}
	if _, err := os.Stat(filepath.Join(data, store.FileName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a SQLite database was made in the PostgreSQL server's --data: %v", err)
	}
	// The same command with the server's database works.
	if code, out, errOut := runCLI(t, map[string]string{"TEXTBANK_DB": url}, "", "campaign", "list", "--data", data); code != 0 {
		t.Errorf("campaign list --db: exit %d %s %s", code, out, errOut)
	}
}

// TestPostgresMarkerHidesPassword: the note names the database as the
// log does, without its password.
func TestPostgresMarkerHidesPassword(t *testing.T) {
	data := t.TempDir()
	if err := markPostgresDataDir(data, "postgres://tb:s3cret@db.example.org:5432/tb"); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(data, postgresMarkerName))
	if err != nil || strings.Contains(string(raw), "s3cret") || !strings.Contains(string(raw), "db.example.org:5432/tb") {
		t.Fatalf("note %q, %v", raw, err)
	}
	if fi, err := os.Stat(filepath.Join(data, postgresMarkerName)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("note mode: %v %v", fi, err)
	}
	// A --data that does not exist is not made for the note.
	missing := filepath.Join(data, "nope")
	if err := markPostgresDataDir(missing, "postgres://tb@db/tb"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("--data made for the note: %v", err)
	}
}
