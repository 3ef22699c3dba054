package pgtest_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql's "pgx", for goose
	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/schema"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
)

// Each MigratedURL is a database of its own at the latest schema before
// anything opens it, and what one test writes reaches neither another's
// database nor the template later ones are copied from.
func TestMigratedURL(t *testing.T) {
	a, b := pgtest.MigratedURL(t), pgtest.MigratedURL(t)
	if a == b {
		t.Fatalf("two tests were given one database: %s", a)
	}
	for _, u := range []string{a, b} {
		if v := version(t, u); v.Current == 0 || v.Current != v.Latest {
			t.Fatalf("%s is at migration %d of %d", u, v.Current, v.Latest)
		}
	}
	ctx := context.Background()
	err := pgtest.OpenURL(t, a).Update(ctx, func(tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{ID: uuid.NewString(), Name: "A", Email: "a@example.org", PasswordHash: "x",
			CreatedAt: time.Now().UTC().Truncate(time.Microsecond)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := users(t, a); n != 1 {
		t.Fatalf("%d users in the database written, want 1", n)
	}
	for _, u := range []string{b, pgtest.MigratedURL(t)} {
		if n := users(t, u); n != 0 {
			t.Errorf("%d users in %s, written in another test's database", n, u)
		}
	}
}

// URL's database is empty: the migration tests start from nothing.
func TestURLIsEmpty(t *testing.T) {
	if v := version(t, pgtest.URL(t)); v.Current != 0 {
		t.Fatalf("a new empty database is at migration %d", v.Current)
	}
}

func version(t *testing.T, dbURL string) schema.Version {
	t.Helper()
	set, err := store.Migrations(goose.DialectPostgres)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, err := schema.Status(context.Background(), db, set)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func users(t *testing.T, dbURL string) int {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n int
	if err := c.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
