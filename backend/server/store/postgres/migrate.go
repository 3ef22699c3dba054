package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/textbank/textbank/backend/schema"
	"github.com/textbank/textbank/backend/server/store"
)

// migrations is the PostgreSQL set of the store's migrations (versions
// matching the SQLite set), applied under goose's session lock so that
// servers starting together migrate once.
func migrations() (schema.Set, error) {
	set, err := store.Migrations(goose.DialectPostgres)
	if err != nil {
		return schema.Set{}, err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return schema.Set{}, fmt.Errorf("migration lock: %w", err)
	}
	set.Options = append(set.Options, goose.WithSessionLocker(locker))
	return set, nil
}

// withDB gives goose (database/sql) a handle on the pool.
func withDB[T any](pool *pgxpool.Pool, fn func(db *sql.DB) (T, error)) (T, error) {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	return fn(db)
}

// migrateUp applies the migrations the database lacks; a database migrated
// by a newer textbankd is refused (schema.ErrTooNew): this build would not
// know its columns.
func migrateUp(ctx context.Context, pool *pgxpool.Pool) error {
	set, err := migrations()
	if err != nil {
		return err
	}
	_, err = withDB(pool, func(db *sql.DB) (schema.Version, error) { return schema.Up(ctx, db, set, true) })
	if err != nil {
		return fmt.Errorf("migrate postgres: %w", err)
	}
	return nil
}

// SchemaVersion is the database's newest applied migration and the newest
// this program knows.
func (s *Store) SchemaVersion(ctx context.Context) (schema.Version, error) {
	set, err := migrations()
	if err != nil {
		return schema.Version{}, err
	}
	return withDB(s.pool, func(db *sql.DB) (schema.Version, error) { return schema.Status(ctx, db, set) })
}
