package postgres_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store/postgres"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestOpenAsRoleWithoutPrivileges: a role that does not own the database
// (created without createdb -O, as OPERATIONS.md's steps would have it)
// cannot create the schema from PostgreSQL 15 on; Open says which role and
// database, and how to give the role the database, at once.
func TestOpenAsRoleWithoutPrivileges(t *testing.T) {
	dbURL := pgtest.URL(t)
	role := pgtest.RoleWithoutPrivileges(t, dbURL)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	start := time.Now()
	st, err := postgres.Open(ctx, u.String())
	// Prompt: goose's retries of its version table (a second apart, for
	// servers starting together) made it take 6 s.
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Open took %v to refuse; want it at once", took)
	}
	if err == nil {
		st.Close()
		t.Fatal("Open as a role without privileges succeeded")
	}
	db := strings.TrimPrefix(u.Path, "/")
	for _, want := range []string{"permission denied", "the role " + role + " may not", "createdb -O " + role, "ALTER DATABASE " + db + " OWNER TO " + role} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
