package store

import (
	"context"
	"fmt"
	"sync"
)

// elsewhere is what WrittenElsewhere last read.
type elsewhere struct {
	mu      sync.Mutex
	version int64
	seen    bool
}

// WrittenElsewhere says whether another process committed to the database
// since the last call (false on the first). SQLite announces nothing, and
// a running server must still hear of what textbankd's organizer commands
// change from their own process: above all `users sign-out` and `users
// password`, which end sign-ins the server keeps in memory.
//
// PRAGMA data_version on a connection changes only when some other
// connection commits. Asked on the writer, the one connection this
// process commits with (the WAL checkpointer copies pages and commits
// nothing), a change means another process wrote. The writer is shared:
// the call waits for a group commit under way, so callers ask it now and
// then, not per request.
func (s *SQLite) WrittenElsewhere(ctx context.Context) (bool, error) {
	var v int64
	if err := s.write.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		return false, fmt.Errorf("data version: %w", err)
	}
	s.elsewhere.mu.Lock()
	defer s.elsewhere.mu.Unlock()
	changed := s.elsewhere.seen && v != s.elsewhere.version
	s.elsewhere.version, s.elsewhere.seen = v, true
	return changed, nil
}
