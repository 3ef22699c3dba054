package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/textbank/textbank/backend/server/store/postgres/pgtest"
	"github.com/textbank/textbank/backend/server/store/storetest"
)

// TestMigrationFeedsArchivedCampaigns is the SQLite test of the same name
// on PostgreSQL.
func TestMigrationFeedsArchivedCampaigns(t *testing.T) {
	dbURL := pgtest.URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	storetest.SeedBefore(ctx, t, db, goose.DialectPostgres, storetest.BeforeArchivedFed, storetest.ArchivedFixtureSQL)
	db.Close()
	storetest.CheckArchivedFed(t, pgtest.OpenURL(t, dbURL))
}
