package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestURLSchemeAnyCase: URL schemes are case-insensitive, so Postgres://
// and POSTGRESQL:// name a PostgreSQL database as postgres:// does, and
// reach pgx lower-cased (it would read them as key=value strings); what
// follows the scheme is left alone.
func TestURLSchemeAnyCase(t *testing.T) {
	tests := []struct {
		in, norm string
		isURL    bool
	}{
		{"postgres://u@h/db", "postgres://u@h/db", true},
		{"Postgres://U@H/DB?sslmode=disable", "postgres://U@H/DB?sslmode=disable", true},
		{"POSTGRESQL://u@h/db", "postgresql://u@h/db", true},
		{"PostgreSQL://u@h/db", "postgresql://u@h/db", true},
		{"postgres:/u@h/db", "postgres:/u@h/db", false},
		{"postgres", "postgres", false},
		{"mysql://u@h/db", "mysql://u@h/db", false},
		{"/var/lib/textbank/textbank.db", "/var/lib/textbank/textbank.db", false},
		{"", "", false},
	}
	for _, tc := range tests {
		if got := postgres.IsURL(tc.in); got != tc.isURL {
			t.Errorf("IsURL(%q) = %v, want %v", tc.in, got, tc.isURL)
		}
		if got := postgres.NormalizeURL(tc.in); got != tc.norm {
			t.Errorf("NormalizeURL(%q) = %q, want %q", tc.in, got, tc.norm)
		}
	}
}

// TestOpenUpperCaseScheme: Open connects through a URL whose scheme is
// written in capitals.
func TestOpenUpperCaseScheme(t *testing.T) {
	dbURL := pgtest.URL(t)
	upper := "POSTGRES" + strings.TrimPrefix(strings.TrimPrefix(dbURL, "postgresql"), "postgres")
	if upper == "POSTGRES"+dbURL {
		t.Fatalf("test URL %q is no postgres URL", dbURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := postgres.Open(ctx, upper)
	if err != nil {
		t.Fatalf("Open(%s...): %v", upper[:11], err)
	}
	st.Close()
}
