package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/server/store/storetest"
)

// migratedFrom is the SQLite test helper of the same name on PostgreSQL:
// a throwaway database migrated to version before, filled with fixture,
// then opened as the server does.
func migratedFrom(t *testing.T, before int64, fixture []string) store.Store {
	t.Helper()
	dbURL := pgtest.URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	storetest.SeedBefore(ctx, t, db, goose.DialectPostgres, before, fixture)
	db.Close()
	return pgtest.OpenURL(t, dbURL)
}
