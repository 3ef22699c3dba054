package pgtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres"
)

// MigratedURL creates a database at this build's latest schema and returns
// its URL; the database is dropped when t ends. It is a copy of a template
// database migrated once per cluster (CREATE DATABASE ... TEMPLATE), not a
// database migrated afresh: migrating was about half of each test's setup
// (PERFORMANCE-LOG.md, 'One migrated template'). Tests of migrations, and
// of a server's first start, take URL's empty database.
func MigratedURL(t testing.TB) string {
	t.Helper()
	base := clusterURL(t)
	migrated.once.Do(func() { migrated.name, migrated.err = migratedTemplate(base) })
	if migrated.err != nil {
		t.Fatalf("migrated template database: %v", migrated.err)
	}
	return newDatabase(t, base, pgx.Identifier{migrated.name}.Sanitize())
}

// migrated is this test binary's template, made (or found) at its first
// MigratedURL.
var migrated struct {
	once sync.Once
	name string
	err  error
}

// templateLock is the session advisory lock (in the cluster's maintenance
// database) that one test binary holds while it looks for the template and
// makes it: go test runs packages side by side, each its own binary.
const templateLock int64 = 0x7465787462746d70 // "textbtmp"

// migratedTemplate returns the name of the cluster's template database at
// this build's migrations, making it if no test binary made it yet. The
// name carries a hash of the migration files, so a build whose migrations
// differ makes its own, and a database only ever holds the migrations its
// name says. Nobody may connect to it (datallowconn false): PostgreSQL
// copies no database someone is connected to.
func migratedTemplate(base string) (string, error) {
	name, err := templateName()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg, err := pgx.ParseConfig(base)
	if err != nil {
		return "", fmt.Errorf("%s: %w", Env, err)
	}
	admin, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return "", fmt.Errorf("connect to the test cluster: %w", err)
	}
	defer admin.Close(context.Background()) // and with it the lock
	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock($1)`, templateLock); err != nil {
		return "", fmt.Errorf("wait for another test binary's template: %w", err)
	}
	var made bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, name).Scan(&made); err != nil {
		return "", fmt.Errorf("look for template %s: %w", name, err)
	}
	if made {
		return name, nil
	}
	// It is built under another name and renamed once whole: a binary
	// killed mid-build leaves no half-migrated template behind it, only
	// this, dropped by the next build.
	building := pgx.Identifier{name + "_building"}.Sanitize()
	for _, sql := range []string{
		"DROP DATABASE IF EXISTS " + building + " WITH (FORCE)",
		"CREATE DATABASE " + building + " TEMPLATE template0",
	} {
		if _, err := admin.Exec(ctx, sql); err != nil {
			return "", fmt.Errorf("make template %s: %w", name, err)
		}
	}
	u, err := withDatabase(base, name+"_building")
	if err != nil {
		return "", err
	}
	st, err := postgres.Open(ctx, u)
	if err != nil {
		return "", fmt.Errorf("migrate template %s: %w", name, err)
	}
	st.Close()
	for _, sql := range []string{
		"ALTER DATABASE " + building + " WITH ALLOW_CONNECTIONS false",
		"ALTER DATABASE " + building + " RENAME TO " + pgx.Identifier{name}.Sanitize(),
	} {
		if _, err := admin.Exec(ctx, sql); err != nil {
			return "", fmt.Errorf("make template %s: %w", name, err)
		}
	}
	return name, nil
}

// templateName names the template of this build's PostgreSQL migrations:
// a hash of their files' names and contents.
func templateName() (string, error) {
	set, err := store.Migrations(goose.DialectPostgres)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	err = fs.WalkDir(set.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(set.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash the migrations: %w", err)
	}
	return "textbank_template_" + hex.EncodeToString(h.Sum(nil))[:16], nil
}
