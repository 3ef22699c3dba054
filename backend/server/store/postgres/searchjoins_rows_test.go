package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestSearchJoinRefusalsAddNoRow is the SQLite test of the same name on
// PostgreSQL.
func TestSearchJoinRefusalsAddNoRow(t *testing.T) {
	pgtest.Require(t)
	dbURL := pgtest.URL(t)
	st := pgtest.OpenURL(t, dbURL)
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })
	storetest.CheckRefusalsAddNoRow(t, st, func() int {
		var n int
		if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM search_join_refusals`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	})
}

// TestMigrationRefusalsLogged is the SQLite test of the same name on
// PostgreSQL.
func TestMigrationRefusalsLogged(t *testing.T) {
	storetest.CheckRefusalsLoggedAfterMigration(t, migratedFrom(t, storetest.BeforeRefusalsLogged, storetest.RefusalsLoggedFixtureSQL))
}
