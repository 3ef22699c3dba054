package schema

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
)

// legacyTable is where the runner before goose recorded applied migrations
// on SQLite, by file name without .sql ("0003_organizers").
const legacyTable = "schema_migrations"

// adoptLegacy moves an old runner's record into goose's table, in one
// transaction: goose's table is created as goose would (version 0 first),
// each recorded file becomes its version number, and schema_migrations is
// dropped. A database goose already tracks, or a new one, is left alone.
func adoptLegacy(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("adopt old migration record: %w", err)
	}
	defer tx.Rollback()
	has := func(name string) (bool, error) {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, name).Scan(&n)
		return n > 0, err
	}
	old, err := has(legacyTable)
	if err != nil || !old {
		return err
	}
	if adopted, err := has(goose.DefaultTablename); err != nil || adopted {
		return err
	}
	versions, err := legacyVersions(ctx, tx)
	if err != nil {
		return err
	}
	st, err := database.NewStore(goose.DialectSQLite3, goose.DefaultTablename)
	if err != nil {
		return err
	}
	if err := st.CreateVersionTable(ctx, tx); err != nil {
		return fmt.Errorf("adopt old migration record: %w", err)
	}
	for _, v := range append([]int64{0}, versions...) {
		if err := st.Insert(ctx, tx, database.InsertRequest{Version: v}); err != nil {
			return fmt.Errorf("adopt old migration record (version %d): %w", v, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE `+legacyTable); err != nil {
		return fmt.Errorf("adopt old migration record: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("adopt old migration record: %w", err)
	}
	return nil
}

// legacyVersions reads the old record as version numbers, ascending.
func legacyVersions(ctx context.Context, tx *sql.Tx) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT version FROM `+legacyTable)
	if err != nil {
		return nil, fmt.Errorf("read old migration record: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("read old migration record: %w", err)
		}
		num, _, _ := strings.Cut(name, "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil || v < 1 {
			return nil, fmt.Errorf("old migration record %q: want a name starting with its number, like 0001_init", name)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read old migration record: %w", err)
	}
	slices.Sort(out)
	return out, nil
}
