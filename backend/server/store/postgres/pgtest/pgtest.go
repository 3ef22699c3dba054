// Package pgtest gives tests a fresh PostgreSQL database on the cluster
// named by TEXTBANK_TEST_POSTGRES (scripts/pg-test.sh starts one and sets
// it). Without that variable tests skip their PostgreSQL part, unless
// TEXTBANK_REQUIRE_POSTGRES=1 (make test, CI), where a missing cluster fails.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
)

// Env names the cluster's URL; RequireEnv makes its absence a failure.
const (
	Env        = "TEXTBANK_TEST_POSTGRES"
	RequireEnv = "TEXTBANK_REQUIRE_POSTGRES"
)

// Available reports whether a cluster is configured.
func Available() bool { return os.Getenv(Env) != "" }

// URL creates an empty database on the cluster and returns its URL; the
// database is dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	return newDatabase(t, clusterURL(t), "template0")
}

// CopyURL creates a database on the cluster copied from the one at dbURL
// (CREATE DATABASE ... TEMPLATE: nobody may be connected to that one
// meanwhile) and returns its URL; the copy is dropped when t ends.
func CopyURL(t testing.TB, dbURL string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		t.Fatalf("copy database: %v", err)
	}
	return newDatabase(t, clusterURL(t), pgx.Identifier{cfg.Database}.Sanitize())
}

// clusterURL is the cluster's URL; without one it skips t, or fails it
// under TEXTBANK_REQUIRE_POSTGRES=1.
func clusterURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%s=1 but %s is not set: run the tests through scripts/pg-test.sh", RequireEnv, Env)
		}
		t.Skipf("no PostgreSQL cluster (%s unset; scripts/pg-test.sh starts one)", Env)
	}
	return base
}

// withDatabase is the URL of database name on the cluster at base.
func withDatabase(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("%s: %w", Env, err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// newDatabase creates a database from template on the cluster at base and
// returns its URL; the database is dropped when t ends.
func newDatabase(t testing.TB, base, template string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := pgx.ParseConfig(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	admin, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("connect to the test cluster: %v", err)
	}
	defer admin.Close(context.Background())
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "textbank_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+template); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		checkDangling(ctx, t, cfg, name)
		c, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := withDatabase(base, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// checkDangling fails t if database name holds rows that point at nothing
// (store.DanglingSQL): PostgreSQL checks no reference of the tables every
// text writes, so every test on it checks them at its end. A database
// without the schema, or with an older one (tests of migrations), has
// nothing to check.
func checkDangling(ctx context.Context, t testing.TB, base *pgx.ConnConfig, name string) {
	cfg := base.Copy()
	cfg.Database = name
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Errorf("connect to test database %s: %v", name, err)
		return
	}
	defer c.Close(context.Background())
	var n int
	err = c.QueryRow(ctx, store.DanglingSQL).Scan(&n)
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe) && (pe.Code == "42P01" || pe.Code == "42703"): // undefined_table, undefined_column: an older schema's
	case err != nil:
		t.Errorf("look for rows that point at nothing in %s: %v", name, err)
	case n > 0:
		t.Errorf("%d thread, message, mutation or feed rows point at rows that are not there (store.DanglingSQL)", n)
	}
}

// Open opens a Store on a fresh database at the latest schema, closed
// when t ends.
func Open(t testing.TB) *postgres.Store {
	t.Helper()
	return OpenURL(t, MigratedURL(t))
}

// OpenURL opens another Store (another "server") on the database at url.
func OpenURL(t testing.TB, dbURL string) *postgres.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatalf("open postgres store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Require skips t without a cluster (fails it under TEXTBANK_REQUIRE_POSTGRES=1):
// for tests that exist only on PostgreSQL.
func Require(t testing.TB) {
	t.Helper()
	if !Available() {
		URL(t)
	}
}

// CutLocks ends the sessions holding advisory locks in the database at
// dbURL (every server's instance lock connection), as a fail-over or an
// administrator would; other tests' databases on the cluster are left
// alone.
func CutLocks(t testing.TB, dbURL string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("connect to cut the locks: %v", err)
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`); err != nil {
		t.Fatalf("cut the locks: %v", err)
	}
}

// RoleWithoutPrivileges makes a role that may log in (the cluster trusts
// local connections: no password) and owns nothing on dbURL's cluster, and
// takes CREATE on schema public from PUBLIC (PostgreSQL 15 does; older
// clusters are told), so it cannot create the schema: what OPERATIONS.md's
// steps give a role made without createdb -O. It returns the role's name;
// the role is dropped when t ends.
func RoleWithoutPrivileges(t testing.TB, dbURL string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	var b [6]byte
	_, _ = rand.Read(b[:])
	role := "textbank_nopriv_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE ROLE "+role+" LOGIN"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, dbURL); err == nil {
			_, _ = c.Exec(ctx, "DROP ROLE IF EXISTS "+role)
			c.Close(context.Background())
		}
	})
	if _, err := admin.Exec(ctx, "REVOKE CREATE ON SCHEMA public FROM PUBLIC"); err != nil {
		t.Fatal(err)
	}
	return role
}
