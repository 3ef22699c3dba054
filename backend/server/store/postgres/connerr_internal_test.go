package postgres

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TestAuthFailureSaysNoPasswordWasFound: an operator whose ~/.pgpass line
// does not match the URL (another host spelling, port or database) sees
// PostgreSQL's "password authentication failed", as if the password were
// wrong; the error says no password was found, and where one is looked for.
func TestAuthFailureSaysNoPasswordWasFound(t *testing.T) {
	cfg, err := pgxpool.ParseConfig("postgres://textbank@db.example.org:5432/textbank?passfile=/nonexistent")
	if err != nil {
		t.Fatal(err)
	}
	refused := fmt.Errorf("failed to connect: %w", &pgconn.PgError{Severity: "FATAL", Code: "28P01",
		Message: `password authentication failed for user "textbank"`})
	got := connectHint(refused, cfg).Error()
	for _, want := range []string{"no password", "PGPASSWORD", "db.example.org:5432:textbank:textbank:", "0600"} {
		if !strings.Contains(got, want) {
			t.Errorf("error %q lacks %q", got, want)
		}
	}
	if !errors.Is(connectHint(refused, cfg), refused) {
		t.Error("the hint hides the cause from errors.Is")
	}
	// With a password given, a refusal means a wrong one: no hint.
	cfg.ConnConfig.Password = "s3cret"
	if got := connectHint(refused, cfg).Error(); strings.Contains(got, "no password") || strings.Contains(got, "s3cret") {
		t.Errorf("with a password given: %q", got)
	}
	other := errors.New("dial tcp: connection refused")
	if connectHint(other, cfg) != other {
		t.Error("an error that is no refusal of the password is changed")
	}
}
