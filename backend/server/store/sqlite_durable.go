package store

import (
	"context"
	"fmt"
)

// Durable returns once every transaction committed before the call is on
// the disk, or the fsync's error. The writer runs with
// synchronous=NORMAL, whose commits a power cut can undo (package
// walsync). For most of them that would be a lost moment of work; for a
// text about to go out it would be a text sent twice, since the record
// that it is sending would vanish while the provider kept the call, and
// for a change the server answered "applied" a change lost after its app
// dropped it. So the dispatcher asks for Durable before each provider
// call, and the group commit before it answers a group (server's
// groupcommit_durable.go): one fsync of the WAL serves every caller
// waiting when it starts, and the writer waits for none.
func (s *SQLite) Durable() error { return s.durable.Sync() }

// EachCommitSynced reports whether the writer's connection syncs the WAL
// at each commit (Options.SyncEachCommit: synchronous=FULL or above), as
// the connection itself has it.
func (s *SQLite) EachCommitSynced(ctx context.Context) (bool, error) {
	var level int
	if err := s.write.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level); err != nil {
		return false, fmt.Errorf("read the writer's synchronous setting: %w", err)
	}
	return level >= 2, nil
}
