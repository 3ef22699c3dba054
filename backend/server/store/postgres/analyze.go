package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Plans that outlive the tables they were made for.
//
// Each connection prepares a statement once and, after five runs, keeps
// PostgreSQL's generic plan for it, made for the sizes the tables had then.
// PostgreSQL makes it again only when a table it reads is analyzed, and
// autovacuum analyzes a table once a tenth of it changed but looks only
// once a minute (autovacuum_naptime). In a new database's first minute the
// tables every text writes grow from nothing to tens of thousands of rows,
// and a statement first planned while a table was nearly empty reads it
// whole: in a load test the sync's read of threads by id (one index probe
// an id at any size worth mentioning) scanned the table, up to 40 ms a
// call, in about one run in four, and the writer's answers and routes
// scanned messages. AnalyzeGrown analyzes a table once it has changed by
// minGrowth rows and more than it held, while it is small (last analyzed
// under bigAnalyzed rows, or never): in practice once, a second or two
// into a new database's texting, and every plan is made again for a table
// of thousands of rows, where probing the indexes is the cheapest plan
// and stays so as the table grows. Bigger tables are autovacuum's.
//
// Tried before this: writing each read so that even a plan for an empty
// table probes the index (a lateral probe an id) cost a tenth of the load
// test's throughput in executor work on every call; analyzing every table
// each time it doubled cost 4%, in plans made again on every connection
// after each ANALYZE. Analyzing each table once gained 3.6% (medians of
// twelve interleaved runs), most in the runs that had fallen into a scan.

// minGrowth and bigAnalyzed: see above.
const (
	minGrowth   = 5000
	bigAnalyzed = 5000
)

// grownSQL lists this schema's tables changed by at least $1 rows and by
// more than they held when last analyzed, if that was under $2 rows
// (reltuples; -1 never analyzed).
const grownSQL = `SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
	WHERE s.schemaname = current_schema() AND s.n_mod_since_analyze >= $1 AND s.n_mod_since_analyze > c.reltuples
	AND c.reltuples < $2 ORDER BY s.relname`

// AnalyzeGrown analyzes each small table that has grown (above) and names
// them.
// Several servers may analyze one table at about the same time: harmless.
// A table autovacuum is analyzing at that moment is left to it.
func (s *Store) AnalyzeGrown(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, grownSQL, minGrowth, bigAnalyzed)
	if err != nil {
		return nil, fmt.Errorf("list grown tables: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("list grown tables: %w", err)
	}
	var done []string
	for _, name := range names {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL lock_timeout = '100ms'`); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `ANALYZE `+pgx.Identifier{name}.Sanitize())
			return err
		})
		switch {
		case isLockTimeout(err):
			continue
		case err != nil:
			return done, fmt.Errorf("analyze %s: %w", name, err)
		}
		done = append(done, name)
	}
	return done, nil
}

// isLockTimeout: the table's lock was not to be had (lock_timeout).
func isLockTimeout(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "55P03"
}
