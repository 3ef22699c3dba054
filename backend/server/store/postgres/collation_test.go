package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestOpenRequiresTheFoldingCollation: campaign search lowers names under
// ICU's root collation (the conformance suite's accented search, on a
// cluster of locale C, fails without it); a PostgreSQL without it is
// refused at Open naming what is missing, not at every search.
func TestOpenRequiresTheFoldingCollation(t *testing.T) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := postgres.RequireCollation(ctx, pool, "und-x-icu"); err != nil {
		t.Fatalf("the test cluster (Debian's PostgreSQL) has ICU, yet: %v", err)
	}
	err = postgres.RequireCollation(ctx, pool, "no-such-x-icu")
	if err == nil || !strings.Contains(err.Error(), `no collation "no-such-x-icu"`) || !strings.Contains(err.Error(), "built with ICU") {
		t.Fatalf("a missing collation = %v, want it named and ICU asked for", err)
	}
	if !postgres.Refused(err) {
		t.Fatalf("a missing collation is not a refusal (textbankd serve would be restarted over it): %v", err)
	}
}
