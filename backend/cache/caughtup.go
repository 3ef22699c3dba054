package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// metaCaughtUp marks a cache whose first pull has brought every page: until
// then what a pull brings is the account's history, not news. The cursor
// alone cannot say so: a first pull of many pages stopped after its first
// (the app quit or crashed) leaves a cursor, and the rest of the history
// would be told as new replies on the next run.
const metaCaughtUp = "caught_up"

// CaughtUp says whether a pull into this cache has ever reached the end of
// the feed (a page with no more after it). A cache signed out is wiped, so
// a new sign-in, of this account or another, starts not caught up.
func (c *Cache) CaughtUp(ctx context.Context) (bool, error) {
	if c.caughtUp.Load() {
		return true, nil
	}
	var v string
	err := c.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaCaughtUp).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read whether the first pull completed: %w", err)
	}
	c.caughtUp.Store(true)
	return true, nil
}

// markCaughtUp records, in the transaction of a page with no more after it,
// that the first pull has completed; true when it wrote that (the caller
// remembers it once committed). Once known it costs no statement: the pages
// of every later pull write nothing more than before.
func (c *Cache) markCaughtUp(ctx context.Context, tx *sql.Tx, more bool) (bool, error) {
	if more || c.caughtUp.Load() {
		return false, nil
	}
	if err := setMeta(ctx, tx, metaCaughtUp, "1"); err != nil {
		return false, err
	}
	return true, nil
}
