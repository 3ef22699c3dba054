package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// TestServePostgresRefusalsExitEXConfig: PostgreSQL refusing what only its
// operator can change (a database that does not exist, a role it does not
// know, a role without the privileges the schema needs) exits exitRefused,
// which systemd leaves stopped; each exited 1, as a dropped connection
// does, and was started again and again until the start limit. A database
// that does not answer still exits 1 (TestServeRefusalsExitEXConfig).
func TestServePostgresRefusalsExitEXConfig(t *testing.T) {
	dbURL := pgtest.URL(t)
	// From PostgreSQL 15 a role that owns nothing may not create tables in public.
	role := pgtest.RoleWithoutPrivileges(t, dbURL)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var b [6]byte
	_, _ = rand.Read(b[:])
	suffix := hex.EncodeToString(b[:])
	with := func(user, db string) string {
		u, err := url.Parse(dbURL)
		if err != nil {
			t.Fatal(err)
		}
		if user != "" {
			u.User = url.User(user)
		}
		if db != "" {
			u.Path = "/" + db
		}
		return u.String()
	}
	for _, tc := range []struct{ name, db, want string }{
		{"database missing", with("", "textbank_missing_"+suffix), "does not exist"},
		{"role unknown", with("textbank_nobody_"+suffix, ""), "does not let the role"},
		{"role without privileges", with(role, ""), "permission denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var errOut strings.Builder
			code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--log-level", "error", "--data", t.TempDir(),
				"--provider", "sim", "--db", tc.db}, &strings.Builder{}, &errOut, envOf(nil))
			if ctx.Err() != nil {
				t.Fatal("serve did not stop by itself")
			}
			if code != exitRefused || !strings.Contains(errOut.String(), tc.want) {
				t.Fatalf("exit %d, log %q; want %d and %q", code, errOut.String(), exitRefused, tc.want)
			}
		})
	}
}
