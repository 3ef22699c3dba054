package server

import (
	"context"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

const archiveChunk = 500

// ArchiveInactive archives, for their owners, threads without a message for
// the configured inactivity period (two months by default). It returns how
// many it archived. A new reply unarchives them again.
func (s *Server) ArchiveInactive(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.update(ctx, func(tx store.Tx) error {
			now := s.clock()
			threads, err := tx.InactiveThreads(ctx, now.Add(-s.inactive), archiveChunk)
			if err != nil {
				return err
			}
			for _, th := range threads {
				st, err := tx.InboxState(ctx, th.OwnerID, th.ID)
				if err != nil {
					return err
				}
				st.Archived, st.ArchivedReason = true, "inactive"
				if err := tx.PutInboxState(ctx, st); err != nil {
					return err
				}
				if err := feed(ctx, tx, now, th.OwnerID, api.KindThread, th.ID); err != nil {
					return err
				}
			}
			n = len(threads)
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < archiveChunk {
			return total, nil
		}
	}
}

// RunArchiver calls ArchiveInactive every interval until ctx ends.
func (s *Server) RunArchiver(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := s.ArchiveInactive(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error().Err(err).Msg("archive inactive threads")
		} else if n > 0 {
			s.log.Info().Int("threads", n).Msg("archived inactive threads")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
