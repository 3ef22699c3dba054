package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
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
	if err := checkMayCreateTables(ctx, pool); err != nil {
		return fmt.Errorf("migrate postgres: %w", err)
	}
	if err := refuseUnderRunningServers(ctx, pool, set); err != nil {
		return fmt.Errorf("migrate postgres: %w", err)
	}
	_, err = withDB(pool, func(db *sql.DB) (schema.Version, error) { return schema.Up(ctx, db, set, true) })
	if err != nil {
		return fmt.Errorf("migrate postgres: %w", err)
	}
	return nil
}

// checkMayCreateTables refuses at once a new database whose role may not
// create tables (42501; from PostgreSQL 15 a role that does not own the
// database may not create them in public). goose tries to create its
// version table four times a second apart, for servers starting together
// on a new database, and Status and Up each do: the refusal took 6 s. A
// table created and rolled back gets PostgreSQL's own error. Anything else
// it meets (a connection cut) is left to goose, which says it as before.
func checkMayCreateTables(ctx context.Context, pool *pgxpool.Pool) error {
	var fresh bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('goose_db_version') IS NULL`).Scan(&fresh); err != nil || !fresh {
		return nil
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return nil
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	_, err = tx.Exec(ctx, `CREATE TABLE textbankd_create_probe (x int)`)
	if pg := (*pgconn.PgError)(nil); errors.As(err, &pg) && pg.Code == "42501" {
		return fmt.Errorf("create the schema's tables: %w", err)
	}
	return nil
}

// liveServersSQL counts the servers running on this database by their
// instance locks (session advisory locks on keys in [0, 2^62), see
// takeInstanceLock; the Store's own keys are negative, goose's is above),
// with the addresses they connect from. pg_locks splits a bigint key into
// classid (its high 32 bits, unsigned) and objid (its low 32 bits); a key
// is in [0, 2^62) exactly when classid is below 2^30. Rebuilding the key
// as (classid << 32) | objid overflowed for negative keys (classid at or
// above 2^31) into a negative number below 2^62, so a server's own
// writeLock and exclusiveNS locks, and other applications' negative keys,
// were counted as running servers. Two-int keys (objsubid 2) are another
// application's. So is a key held by a session another application named
// (its application_name): an instance lock's session is named
// instanceLockApp; one of a build from before that is unnamed, and so an
// unnamed one still counts (the safe way: migrating under a running
// server is what this check is for).
const liveServersSQL = `SELECT count(*), coalesce(string_agg(DISTINCT coalesce(host(a.client_addr), 'local socket'), ', '), '')
	FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
	WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
	AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
	AND l.classid::bigint < 1073741824
	AND coalesce(a.application_name, '') IN ('` + instanceLockApp + `', '')`

// refuseUnderRunningServers refuses to migrate a database that textbankd
// servers are running on: they are of an older build (a server migrates
// before it takes its instance lock, so none of this build holds one while
// migrations are pending), and would go on reading and writing a schema
// they do not know. Servers starting together on the new build migrate
// once, as before; a database already up to date is not looked at.
func refuseUnderRunningServers(ctx context.Context, pool *pgxpool.Pool, set schema.Set) error {
	v, err := withDB(pool, func(db *sql.DB) (schema.Version, error) { return schema.Status(ctx, db, set) })
	if err != nil || v.Current == 0 || v.Current >= v.Latest {
		return nil // Up reports what Status could not read
	}
	var n int
	var from string
	if err := pool.QueryRow(ctx, liveServersSQL).Scan(&n, &from); err != nil {
		return fmt.Errorf("look for running servers before migrating: %w", err)
	}
	if n == 0 {
		return nil
	}
	servers := fmt.Sprintf("%d textbankd servers are", n)
	if n == 1 {
		servers = "1 textbankd server is"
	}
	return fmt.Errorf("%s running on this database (connected from %s), at schema version %d; migrations up to %d would change it under them: stop every server, then migrate and start the new ones (docs/OPERATIONS.md, \"Rolling out a new version\")",
		servers, from, v.Current, v.Latest)
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
