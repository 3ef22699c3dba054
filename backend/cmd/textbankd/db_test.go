package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

func TestParseServeDB(t *testing.T) {
	cfg, err := parseServe(nil, envOf(map[string]string{"TEXTBANK_DB": "postgres://tb@db.example:5432/tb", "TEXTBANK_PROVIDER": "sim"}), io.Discard)
	if err != nil || cfg.db != "postgres://tb@db.example:5432/tb" {
		t.Fatalf("TEXTBANK_DB: cfg.db %q, err %v", cfg.db, err)
	}
	// URL schemes are case-insensitive (RFC 3986): any case is PostgreSQL.
	for _, db := range []string{"Postgres://tb@db.example:5432/tb", "POSTGRESQL://tb@db.example/tb"} {
		if cfg, err := parseServe([]string{"--db", db, "--provider", "sim"}, envOf(nil), io.Discard); err != nil || cfg.db != db {
			t.Errorf("--db %s: cfg.db %q, err %v", db, cfg.db, err)
		}
		if err := checkDB(db); err != nil {
			t.Errorf("checkDB(%s): %v", db, err)
		}
	}
	for _, tc := range []struct {
		name, want string
		args       []string
	}{
		{"not a postgres url", "--db", []string{"--db", "mysql://u:secret@h/db"}},
		{"a file path", "postgres://", []string{"--db", "/var/lib/textbank.db"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseServe(tc.args, envOf(nil), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("error shows the password: %v", err)
			}
		})
	}
}

// TestPostgresCommands: the organizer commands and serve work on one
// PostgreSQL database named by TEXTBANK_DB / --db.
func TestPostgresCommands(t *testing.T) {
	url := pgtest.URL(t)
	env := map[string]string{"TEXTBANK_DB": url, "TEXTBANK_DATA": t.TempDir()}
	code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "orla@springfieldvotes.org", "--name", "Orla Organizer")
	if code != 0 {
		t.Fatalf("users add: %d %s %s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, env, "", "campaign", "create", "../../../examples/campaign.yaml")
	if code != 0 {
		t.Fatalf("campaign create: %d %s %s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, env, "", "migrate", "--json")
	var v struct{ Version, Latest int64 }
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v.Version < 6 || v.Version != v.Latest {
		t.Fatalf("migrate on postgres: %d %s %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "", "users", "list")
	if code != 0 || !strings.Contains(out, "orla@springfieldvotes.org") {
		t.Fatalf("users list on postgres: %d %s", code, out)
	}
	// The same database through the scheme in capitals.
	upper := map[string]string{"TEXTBANK_DB": "POSTGRES" + url[strings.Index(url, "://"):], "TEXTBANK_DATA": env["TEXTBANK_DATA"]}
	code, out, errOut = runCLI(t, upper, "", "users", "list")
	if code != 0 || !strings.Contains(out, "orla@springfieldvotes.org") {
		t.Fatalf("users list through POSTGRES://: %d %s %s", code, out, errOut)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", addr, "--data", t.TempDir(), "--db", url, "--provider", "sim", "--log-level", "error"},
			io.Discard, io.Discard, envOf(nil))
	}()
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case code := <-done:
			t.Fatalf("serve --db exited %d", code)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("serve --db never became healthy")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve --db exit %d", code)
	}
}

// TestRedactURL: no password of a database URL reaches a log or a message.
func TestRedactURL(t *testing.T) {
	for _, tc := range []struct{ in, want, secret string }{
		{"postgres://tb:s3cret@db.example:5432/tb", "postgres://tb:xxxxx@db.example:5432/tb", "s3cret"},
		{"postgres://tb:p@ssw0rd@db.example/tb", "postgres://tb:xxxxx@db.example/tb", "ssw0rd"},
		{"postgres://tb@db.example/tb?password=hunter2secret&sslmode=require", "postgres://tb@db.example/tb?password=xxxxx&sslmode=require", "hunter2secret"},
		// The settings after a password parameter are kept, as the driver
		// reads them: the --db to paste and the log say how the server is
		// reached (an unescaped & ends the password for the driver too).
		{"postgres://tb@db.example/tb?sslmode=verify-full&password=h2sec&tail9=x&sslrootcert=/etc/ca.pem&pool_max_conns=4",
			"postgres://tb@db.example/tb?sslmode=verify-full&password=xxxxx&tail9=x&sslrootcert=/etc/ca.pem&pool_max_conns=4", "h2sec"},
		{"postgres://tb:s3cret@db.example/tb?application_name=a@b", "postgres://tb:xxxxx@db.example/tb?application_name=a@b", "s3cret"},
		{"postgres://tb@db.example/tb?sslpassword=keypass", "postgres://tb@db.example/tb?sslpassword=xxxxx", "keypass"},
		{"postgres://tb@db.example/tb", "postgres://tb@db.example/tb", ""},
		{"/var/lib/textbank.db", "/var/lib/textbank.db", ""},
		{"host=db password=s3cret", "(a database URL that could not be read; not shown)", "s3cret"},
		{"postgres://tb:s3cret@[::1/tb", "postgres://tb:xxxxx@[::1/tb", "s3cret"},
		// url.Parse ends the user part at a '/', '?' or '#', and showed
		// the rest of a password holding one.
		{"postgres://tb:12/34tail9@db/tb", "postgres://tb:xxxxx@db/tb", "tail9"},
		{"postgres://tb:12?34tail9@db/tb", "postgres://tb:xxxxx@db/tb", "tail9"},
		{"Postgres://tb:12#34tail9@db/tb", "Postgres://tb:xxxxx@db/tb", "tail9"},
		{"https://proxy:s3cret@texts.example.org/", "https://proxy:REDACTED@texts.example.org/", "s3cret"},
	} {
		got := redactURL(tc.in)
		if got != tc.want || tc.secret != "" && strings.Contains(got, tc.secret) {
			t.Errorf("redactURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestUnreachablePostgresSaysSo: a wrong host is told as a connection
// failure naming the database without its password, not as a migration's,
// with the host and port refused and what to check there (it named
// neither, beside the driver's "connection refused").
func TestUnreachablePostgresSaysSo(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	// Without sslmode pgx tries TLS and then plain text: the refused
	// address is still told once.
	for _, query := range []string{"?sslmode=disable&connect_timeout=5", "?connect_timeout=5"} {
		args := []string{"campaign", "list"}
		if query == "?connect_timeout=5" {
			args = []string{"migrate"} // as serve and migrate start
		}
		code, out, errOut := runCLI(t, nil, "", append(args, "--db", "postgres://tb:s3cret@"+addr+"/tb"+query)...)
		if code != 1 || !strings.Contains(errOut, "cannot connect to postgres tb@127.0.0.1") || strings.Contains(errOut, "migrate postgres") {
			t.Fatalf("%s: exit %d, stderr %q, stdout %q", query, code, errOut, out)
		}
		if n := strings.Count(errOut, "connection refused"); n != 1 {
			t.Errorf("%s: the refused address is told %d times: %s", query, n, errOut)
		}
		// What to check, at the URL's host and port, once each.
		hint := "nothing accepts connections at " + addr + ": check that PostgreSQL is running there"
		if !strings.Contains(errOut, hint) || !strings.Contains(errOut, "listen_addresses and port in postgresql.conf") {
			t.Errorf("%s: stderr %q lacks %q and what to check", query, errOut, hint)
		}
		if strings.Contains(errOut+out, "s3cret") {
			t.Fatalf("the password shows: %s", errOut)
		}
	}
}

// TestNewDatabaseIsOwnerOnly: the SQLite file textbankd makes (and so its
// -wal and -shm) is readable by its owner alone, whatever the umask and
// the data directory's mode: it holds contacts' numbers.
func TestNewDatabaseIsOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, map[string]string{"TEXTBANK_DATA": dir}, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("data dir: %v %v", entries, err)
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %v %v, want owner-only", e.Name(), fi.Mode(), err)
		}
	}
}

// An import of one contact says "1 contact", not "1 contacts".
func TestContactsInWords(t *testing.T) {
	for n, want := range map[int]string{0: "0 contacts", 1: "1 contact", 2: "2 contacts", 98412: "98412 contacts"} {
		if got := contacts(n); got != want {
			t.Errorf("contacts(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestServeOnPostgresNeedsProvider: servers on one PostgreSQL database
// share one queue of texts. One started without --provider beside servers
// with one (a unit file missing the line) would take about half the texts
// and fail each for good ("not sent: the campaign server has no SMS
// provider"): serve --db without a provider is refused at start, saying
// why; with one, or with --demo (the simulated network), it is not, and
// SQLite keeps its visible failures.
func TestServeOnPostgresNeedsProvider(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"--db", "postgres://tb@db.example:5432/tb"}, nil},
		{nil, map[string]string{"TEXTBANK_DB": "postgres://tb:s3cret@db.example:5432/tb"}},
	} {
		_, err := parseServe(tc.args, envOf(tc.env), io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--db without --provider") || !strings.Contains(err.Error(), "--provider twilio") ||
			strings.Contains(err.Error(), "s3cret") {
			t.Errorf("serve %v %v: err = %v, want the refusal of --db without --provider", tc.args, tc.env, err)
		}
	}
	for _, args := range [][]string{
		{"--db", "postgres://tb@db.example:5432/tb", "--provider", "sim"},
		{"--db", "postgres://tb@db.example:5432/tb", "--demo"},
		{"--data", "/var/lib/textbank"},
	} {
		if _, err := parseServe(args, envOf(nil), io.Discard); err != nil {
			t.Errorf("serve %v: %v", args, err)
		}
	}
	if _, err := parseServe(nil, envOf(map[string]string{"TEXTBANK_DB": "postgres://tb@db.example:5432/tb", "TEXTBANK_PROVIDER": "sim"}), io.Discard); err != nil {
		t.Errorf("TEXTBANK_PROVIDER=sim: %v", err)
	}
}

// TestServeOnPostgresRefusesAnUnmadeDataBeforeMigrating: serve --db with
// the simulated network needs --data for its journal; a --data that cannot
// be made is refused before the database is touched (it was refused after
// migrating it, the PostgreSQL audit).
func TestServeOnPostgresRefusesAnUnmadeDataBeforeMigrating(t *testing.T) {
	url := pgtest.URL(t)
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--db", url, "--provider", "sim",
		"--data", filepath.Join(blocker, "data"), "--log-level", "error"}, io.Discard, &stderr, envOf(nil))
	if code == 0 || !strings.Contains(stderr.String(), "cannot make the data directory") {
		t.Fatalf("serve with a --data under a file: exit %d, %s", code, stderr.String())
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var tables int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'`).Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("the database has %d tables (%v): migrated before the refusal", tables, err)
	}
}

// TestPostgresNoteSparesASQLiteDirectory: serve --db leaves its note in
// --data, but not in a directory holding a SQLite campaign (the default
// --data of both modes): the note would refuse that campaign's own server
// and commands (the review).
func TestPostgresNoteSparesASQLiteDirectory(t *testing.T) {
	env, _, _ := organizerWithCampaign(t)
	data := env["TEXTBANK_DATA"]
	if err := markPostgresDataDir(data, "postgres://textbank@db.example.org/textbank"); err == nil || !strings.Contains(err.Error(), "holds a SQLite database") {
		t.Fatalf("note in a SQLite campaign's directory: %v", err)
	}
	if code, out, errOut := runCLI(t, env, "", "campaign", "list"); code != 0 {
		t.Fatalf("campaign list after: %d %s %s", code, out, errOut)
	}
	empty := t.TempDir()
	if err := markPostgresDataDir(empty, "postgres://textbank:pw@db.example.org/textbank"); err != nil {
		t.Fatal(err)
	}
	if err := checkNotPostgresDataDir(empty); err == nil || strings.Contains(err.Error(), "pw@") {
		t.Fatalf("a PostgreSQL server's own --data: %v", err)
	}
}
