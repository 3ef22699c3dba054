package cache

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the statements sync pages use prepared for the cache's
// life. database/sql prepares a DB statement once per connection and a
// transaction on that connection reuses it (Tx.StmtContext), so applying a
// page no longer prepares its dozen statements again (2-3% of applying a
// 100,000-thread sync went to sqlite3_prepare).
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}}
}

// in is query prepared for tx; the caller closes it (which leaves the
// cached statement prepared).
func (c *stmtCache) in(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	s, ok := c.m[query]
	if !ok {
		var err error
		if s, err = c.db.PrepareContext(ctx, query); err != nil {
			c.mu.Unlock()
			return nil, err
		}
		c.m[query] = s
	}
	c.mu.Unlock()
	return tx.StmtContext(ctx, s), nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, s := range c.m {
		_ = s.Close()
		delete(c.m, q)
	}
}
