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
// call, in two runs of six, and the writer's answers and routes
// scanned messages. AnalyzeGrown analyzes a table once it has changed by
// minGrowth rows and more than it held, while it is small (last analyzed
// under bigAnalyzed rows, or never): in practice once, a second or two
// into a new database's texting, and every plan is made again for a table
// of thousands of rows, where probing the indexes is the cheapest plan
// and stays so as the table grows. Bigger tables are autovacuum's.
//
// Tried before this: writing each read so that even a plan for an empty
// table probes the index (a lateral probe an id) cost a tenth of the load
// test's throughput in executor work on every call. Analyzing more often
// than once makes every connection plan its statements again each time.

// minGrowth and bigAnalyzed: see above.
const (
	minGrowth   = 5000
	bigAnalyzed = 5000
)

// grownSQL lists this schema's tables changed by at least $1 rows and by
// more than they held when last analyzed, if that was under $2 rows
// (reltuples; -1 never analyzed), that this role may analyze (owns: for
// any other role ANALYZE skips the table with a warning and succeeds); with
// $3 set, only that table (the check again under the table's lock).
const grownSQL = `SELECT s.schemaname, s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
	WHERE s.schemaname = current_schema() AND s.n_mod_since_analyze >= $1 AND s.n_mod_since_analyze > c.reltuples
	AND c.reltuples < $2 AND pg_has_role(c.relowner, 'USAGE') AND ($3::text IS NULL OR s.relname = $3)
	ORDER BY s.relname`

// grownTable is a row of grownSQL.
type grownTable struct{ Schema, Name string }

// AnalyzeGrown analyzes each small table that has grown (above) and names
// them. Servers sharing the database may look at the same moment: each
// takes the table's lock (the one ANALYZE takes, so autovacuum's run on it
// also makes it wait) and checks again, so a table is analyzed once. A
// table whose lock is not to be had within 100 ms is left for next time.
func (s *Store) AnalyzeGrown(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, grownSQL, minGrowth, bigAnalyzed, nil)
	if err != nil {
		return nil, fmt.Errorf("list grown tables: %w", err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowToStructByPos[grownTable])
	if err != nil {
		return nil, fmt.Errorf("list grown tables: %w", err)
	}
	var done []string
	for _, g := range tables {
		name := g.Name
		analyzed := false
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			table := pgx.Identifier{g.Schema, name}.Sanitize()
			for _, q := range []string{`SET LOCAL lock_timeout = '100ms'`, `LOCK TABLE ` + table + ` IN SHARE UPDATE EXCLUSIVE MODE`} {
				if _, err := tx.Exec(ctx, q); err != nil {
					return err
				}
			}
			rows, err := tx.Query(ctx, grownSQL, minGrowth, bigAnalyzed, name)
			if err != nil {
				return err
			}
			still, err := pgx.CollectRows(rows, pgx.RowToStructByPos[grownTable])
			if err != nil || len(still) == 0 {
				return err // analyzed meanwhile, by another server or autovacuum
			}
			_, err = tx.Exec(ctx, `ANALYZE `+table)
			analyzed = err == nil
			return err
		})
		switch {
		case isLockTimeout(err):
			continue
		case err != nil:
			return done, fmt.Errorf("analyze %s: %w", name, err)
		}
		if analyzed {
			done = append(done, name)
		}
	}
	return done, nil
}

// isLockTimeout: the table's lock was not to be had (lock_timeout).
func isLockTimeout(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "55P03"
}
