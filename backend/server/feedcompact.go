package server

import (
	"context"
	"slices"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

const (
	// feedCompactEvery is how often the feed's superseded rows are deleted:
	// they cost disk, not correctness, so a pass need not be frequent.
	feedCompactEvery = 10 * time.Minute
	// feedCompactBatch bounds the rows one write deletes, so a pass never
	// holds the write lock for more than a few milliseconds at a time.
	feedCompactBatch = 1000
	// feedCompactRead bounds the rows one read lists (800 KB of seqs). The
	// read walks the user's whole feed whatever its limit (0.4 s for
	// 150,000 rows on SQLite), so it is made once for many writes, not once
	// a write: a feed with 60,000 rows to delete was walked 60 times.
	feedCompactRead = 100 * feedCompactBatch
)

// RunFeedCompactor calls CompactFeed every interval until ctx ends, the
// first time one interval after the start (a restart is no reason to read
// every user's feed at once). On a store several servers share, a pass runs
// on one server at a time; the others skip it.
func (s *Server) RunFeedCompactor(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := alone(ctx, s.store, "feed-compaction", s.CompactFeed)
		if err != nil && ctx.Err() == nil {
			s.log.Error().Err(err).Msg("compact the feed")
		} else if n > 0 {
			s.log.Info().Int64("rows", n).Msg("compacted the feed")
		}
	}
}

// CompactFeed deletes the superseded rows (store.SupersededFeedSQL) of
// every user whose feed grew since this server's last pass (every user's,
// the first time): each user's list read once (up to feedCompactRead)
// outside the write lock, and deleted feedCompactBatch rows a write. A row
// qualifies only once a newer row of its thread is written, so a user with
// no new rows has nothing new to delete.
func (s *Server) CompactFeed(ctx context.Context) (int64, error) {
	s.compactMu.Lock()
	defer s.compactMu.Unlock()
	var newest int64
	var users []string
	err := s.store.View(ctx, func(tx store.Tx) error {
		var err error
		if newest, err = tx.MaxFeedSeq(ctx); err != nil {
			return err
		}
		users, err = tx.FeedUsersAfter(ctx, s.compactedTo)
		return err
	})
	if err != nil {
		return 0, err
	}
	var total int64
	for _, u := range users {
		for {
			var seqs []int64
			err := s.store.View(ctx, func(tx store.Tx) error {
				var err error
				seqs, err = tx.SupersededFeed(ctx, u, feedCompactRead)
				return err
			})
			if err != nil {
				return total, err
			}
			for batch := range slices.Chunk(seqs, feedCompactBatch) {
				var n int64
				err = s.updateUnanswered(ctx, func(tx store.Tx) error {
					var err error
					n, err = tx.DeleteFeed(ctx, batch)
					return err
				})
				if err != nil {
					return total, err
				}
				total += n
			}
			if len(seqs) < feedCompactRead {
				break
			}
		}
	}
	// Rows written after newest was read are the next pass's.
	s.compactedTo = newest
	return total, nil
}
