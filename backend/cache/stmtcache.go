package cache

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the statements sync pages and inbox pages use prepared for the cache's
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
	s, err := c.get(ctx, query)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, s), nil
}

// get is query prepared on the cache's connections, for reads outside a
// transaction. Only queries from a fixed set may be cached: the inbox's
// page and search reads, one per filter and scope (preparing one was a
// quarter of a page read).
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[query]
	if !ok {
		var err error
		if s, err = c.db.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		c.m[query] = s
	}
	return s, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, s := range c.m {
		_ = s.Close()
		delete(c.m, q)
	}
}
