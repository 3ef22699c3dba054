package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TestAuthFailureHints: an operator whose ~/.pgpass line does not match
// the URL (another host spelling, port or database) sees PostgreSQL's
// "password authentication failed", as if the password were wrong; the
// error says no password was found, and where one is looked for. A refusal
// of the role (28000: it does not exist, or pg_hba.conf lets it not in) is
// no password matter, whether or not one was given: it says so, and gives
// no password advice.
func TestAuthFailureHints(t *testing.T) {
	refusal := func(code, msg string) error {
		return fmt.Errorf("failed to connect: %w", &pgconn.PgError{Severity: "FATAL", Code: code, Message: msg})
	}
	badPassword := refusal("28P01", `password authentication failed for user "textbank"`)
	noRole := refusal("28000", `role "textbank" does not exist`)
	noHBA := refusal("28000", `no pg_hba.conf entry for host "10.0.0.5", user "textbank", database "textbank", no encryption`)
	passwordHint := []string{"no password", "PGPASSWORD", "db.example.org:5432:textbank:textbank:", "0600"}
	roleHint := []string{"does not let the role textbank into database textbank", "may not exist", "pg_hba.conf"}
	tests := []struct {
		name     string
		password string
		err      error
		want     []string
		dontWant []string
	}{
		{"password refused, none given", "", badPassword, passwordHint, roleHint[:1]},
		{"password refused, one given (a wrong one)", "s3cret", badPassword, nil, []string{"no password", "s3cret", "pg_hba"}},
		{"role missing, no password given", "", noRole, roleHint, []string{"no password", "PGPASSWORD", ".pgpass"}},
		{"role missing, password given", "s3cret", noRole, roleHint, []string{"no password", "s3cret"}},
		{"no pg_hba.conf line", "", noHBA, roleHint, []string{"no password", "PGPASSWORD", ".pgpass"}},
		{"not a refusal", "", errors.New("dial tcp: connection refused"), nil, []string{"no password", "pg_hba", "role"}},
		{"another PostgreSQL error", "", refusal("3D000", `database "textbank" does not exist`), nil, []string{"no password", "pg_hba"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := pgxpool.ParseConfig("postgres://textbank@db.example.org:5432/textbank?passfile=/nonexistent")
			if err != nil {
				t.Fatal(err)
			}
			cfg.ConnConfig.Password = tc.password
			hinted := connectHint(tc.err, cfg)
			if !errors.Is(hinted, tc.err) {
				t.Error("the hint hides the cause from errors.Is")
			}
			got := hinted.Error()
			for _, want := range tc.want {
				if !strings.Contains(got, want) {
					t.Errorf("error %q lacks %q", got, want)
				}
			}
			for _, bad := range tc.dontWant {
				if strings.Contains(got, bad) {
					t.Errorf("error %q has %q", got, bad)
				}
			}
			if tc.want == nil && hinted != tc.err {
				t.Errorf("error changed to %q", got)
			}
		})
	}
}

// TestAuthFailureHintOverUnixSocket: the guide's URL for a server on the
// database's own machine names the socket's directory
// (?host=/var/run/postgresql). The driver, as libpq, then looks in
// ~/.pgpass for the host localhost; a hint naming the directory sent the
// operator to write a line that is never read, and the same refusal came
// back. The hint also says how a : or \ of the password is written.
func TestAuthFailureHintOverUnixSocket(t *testing.T) {
	badPassword := fmt.Errorf("failed to connect: %w", &pgconn.PgError{Severity: "FATAL", Code: "28P01", Message: `password authentication failed for user "textbank"`})
	cfg, err := pgxpool.ParseConfig("postgres://textbank@/textbank?host=/var/run/postgresql&passfile=/nonexistent")
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Password = ""
	got := connectHint(badPassword, cfg).Error()
	if !strings.Contains(got, "with the line localhost:5432:textbank:textbank:PASSWORD") || strings.Contains(got, "line /var/run/postgresql:") {
		t.Errorf("hint over a Unix socket: %q, want the line localhost:5432:textbank:textbank:PASSWORD", got)
	}
	if !strings.Contains(got, `written \:`) {
		t.Errorf("hint %q does not say how a : of the password is written", got)
	}
}

// TestConnectErrorLeavesOutTheRefusedTLSTry: with sslmode=prefer a server
// without TLS refuses the first try; beside the plain try's reason that
// line is left out (it sent operators to TLS for a missing database), and
// kept when it is the only reason.
func TestConnectErrorLeavesOutTheRefusedTLSTry(t *testing.T) {
	both := errors.New("failed to connect to `user=postgres database=nodb`:\n\t127.0.0.1:5432 (127.0.0.1): tls error: server refused TLS connection\n" +
		"\t127.0.0.1:5432 (127.0.0.1): server error: FATAL: database \"nodb\" does not exist (SQLSTATE 3D000)")
	want := "failed to connect to `user=postgres database=nodb`:\n\t127.0.0.1:5432 (127.0.0.1): server error: FATAL: database \"nodb\" does not exist (SQLSTATE 3D000)"
	if got := (connectError{both}).Error(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	only := errors.New("failed to connect to `user=postgres database=db`:\n\t127.0.0.1:5432 (127.0.0.1): tls error: server refused TLS connection")
	if got := (connectError{only}).Error(); got != only.Error() {
		t.Errorf("sslmode=require: got %q, want the TLS refusal kept", got)
	}
	if !errors.Is(connectError{both}, both) {
		t.Error("the cause is not kept for errors.Is")
	}
}

// TestRefused: which of PostgreSQL's errors are refusals its operator must
// fix (serve exits EX_CONFIG and is left stopped), however wrapped, and
// which may pass at the next try (serve exits 1 and is restarted).
func TestRefused(t *testing.T) {
	pgErr := func(code string) error {
		return fmt.Errorf("cannot connect to postgres tb@db:5432/tb: %w", connectError{fmt.Errorf("failed to connect: %w", &pgconn.PgError{Severity: "FATAL", Code: code})})
	}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"role refused", pgErr("28000"), true},
		{"password refused", pgErr("28P01"), true},
		{"database missing", pgErr("3D000"), true},
		{"privileges missing", fmt.Errorf("migrate: %w", &pgconn.PgError{Code: "42501"}), true},
		{"server shutting down", pgErr("57P01"), false},
		{"server starting", pgErr("57P03"), false},
		{"too many connections", pgErr("53300"), false},
		{"connection lost", pgErr("08006"), false},
		{"no PostgreSQL error", errors.New("dial tcp 127.0.0.1:5432: connect: connection refused"), false},
		{"nil", nil, false},
	} {
		if got := Refused(tc.err); got != tc.want {
			t.Errorf("%s: Refused(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

// TestRefusedConnectionNamesItsAddresses: a connection refused names each
// host and port of the URL once (pgx tries each twice with sslmode=prefer),
// a Unix socket as its file, and never the password.
func TestRefusedConnectionNamesItsAddresses(t *testing.T) {
	for url, want := range map[string]string{
		"postgres://tb:s3cret@db1:5433,db2/tb":               "nothing accepts connections at db1:5433, db2:5432: ",
		"postgres://tb:s3cret@[::1]:5432/tb?sslmode=disable": "nothing accepts connections at [::1]:5432: ",
		"postgres://tb:s3cret@/tb?host=/var/run/postgresql":  "nothing accepts connections at the Unix socket /var/run/postgresql/.s.PGSQL.5432: ",
	} {
		cfg, err := pgxpool.ParseConfig(url)
		if err != nil {
			t.Fatal(err)
		}
		refused := fmt.Errorf("failed to connect: %w", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED})
		got := connectHint(refused, cfg).Error()
		if !strings.Contains(got, want) || strings.Contains(got, "s3cret") {
			t.Errorf("%s: %q, want %q and no password", url, got, want)
		}
	}
}

// TestPasswordWithAnAtIsNotShown: a password with an '@' not written %40
// is cut there by the driver, the rest taken as the host, and every error
// named that host: "cannot connect to postgres u@tail9@127.0.0.1:1/db".
// Open refuses it before connecting, saying how to write it, without it.
func TestPasswordWithAnAtIsNotShown(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, url := range []string{
		"postgres://u:s3cr@tail9@127.0.0.1:1/db",
		"postgres://u:s3cr@tail9@127.0.0.1:1,127.0.0.2:2/db",
		"host=127.0.0.1,tail9@127.0.0.2 port=1,2 user=u dbname=db",
	} {
		_, err := Open(ctx, url)
		if err == nil || strings.Contains(err.Error(), "tail9") || !strings.Contains(err.Error(), "%40") {
			t.Errorf("%s: %v, want the '@' refused without the host", url, err)
		}
	}
	// A Unix socket's directory may hold one.
	cfg, err := pgxpool.ParseConfig("postgres:///db?host=/run/pg@1")
	if err != nil {
		t.Fatal(err)
	}
	if err := hostsWithoutAt(cfg.ConnConfig); err != nil {
		t.Errorf("socket directory with '@': %v", err)
	}
}
