package server

import (
	"context"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/inbox"
	"github.com/textbank/textbank/backend/server/store"
)

const archiveChunk = 500

// ArchiveInactive archives, for their owners, threads without activity (a
// message, a report, the owner taking it out of the archive: lastActivity)
// for the configured inactivity period (two months by default). It returns
// how many it archived. A new reply unarchives them again.
//
// The candidates are found on a read snapshot: no index keeps threads in
// order of their last message (every reply would move its entry), so the
// search reads the whole table, and the one writer every send waits on
// must not. The writer then checks each candidate again, since a reply may
// have come in between.
func (s *Server) ArchiveInactive(ctx context.Context) (int, error) {
	total := 0
	for {
		cutoff := s.clock().Add(-s.inactive)
		var candidates []store.Thread
		err := s.store.View(ctx, func(tx store.Tx) error {
			var err error
			candidates, err = tx.InactiveThreads(ctx, cutoff, archiveChunk)
			return err
		})
		if err != nil {
			return total, err
		}
		if len(candidates) == 0 {
			return total, nil
		}
		ids := make([]string, len(candidates))
		for i, th := range candidates {
			ids[i] = th.ID
		}
		n := 0
		err = s.update(ctx, func(tx store.Tx) error {
			n = 0
			now := s.clock()
			threads, err := tx.ThreadsByIDs(ctx, ids)
			if err != nil {
				return err
			}
			for _, id := range ids {
				th, ok := threads[id]
				if !ok || !th.LastMessageAt.Before(now.Add(-s.inactive)) {
					continue // gone, or a message came in since the search
				}
				st, err := tx.InboxState(ctx, th.OwnerID, th.ID)
				if err != nil {
					return err
				}
				if st.Archived || !lastActivity(th, st).Before(now.Add(-s.inactive)) {
					continue
				}
				setArchive(&st, inbox.WentInactive, false)
				if err := tx.PutInboxState(ctx, st); err != nil {
					return err
				}
				if err := feed(ctx, tx, now, th.OwnerID, api.KindThread, th.ID); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		// A full chunk of which none could be archived (all answered
		// meanwhile) ends the round too: the next one comes soon enough.
		if len(candidates) < archiveChunk || n == 0 {
			return total, nil
		}
	}
}

// lastActivity is when the thread was last active for the archiver: its
// last message, its last report, or its owner's last unarchive, so that a
// volunteer who takes an old conversation out of the archive keeps it out.
// InactiveThreads' SQL finds the candidates by the same three.
func lastActivity(th store.Thread, st store.InboxState) time.Time {
	at := th.LastMessageAt
	for _, t := range []*time.Time{th.LastReportAt, st.UnarchivedAt} {
		if t != nil && t.After(at) {
			at = *t
		}
	}
	return at
}

// exclusiveRunner is a store shared by several servers that can run a job
// on one of them at a time (PostgreSQL's advisory locks); ran is false when
// another server holds the job.
type exclusiveRunner interface {
	RunExclusive(ctx context.Context, name string, fn func(ctx context.Context) error) (ran bool, err error)
}

// RunArchiver calls ArchiveInactive every interval until ctx ends. On a
// store several servers share, a round runs on one server at a time; the
// others skip it.
func (s *Server) RunArchiver(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := alone(ctx, s.store, "archive-inactive", s.ArchiveInactive)
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

// alone runs job, which answers how many rows it did, alone among the
// servers of a shared store (the archiver, the feed's compactor, the purge
// of ended sign-ins: another server at it does the same work); 0 when
// another server was at it.
func alone[N int | int64](ctx context.Context, st store.Store, name string, job func(context.Context) (N, error)) (N, error) {
	ex, ok := st.(exclusiveRunner)
	if !ok {
		return job(ctx)
	}
	var n N
	_, err := ex.RunExclusive(ctx, name, func(ctx context.Context) error {
		var err error
		n, err = job(ctx)
		return err
	})
	return n, err
}

// wireReasons are the archive reasons as the sync protocol spells them
// (docs/API.md): the volunteer's own archive is "manual" there.
var wireReasons = map[inbox.Reason]string{
	inbox.NotArchived: "",
	inbox.ByUser:      "manual",
	inbox.AfterReport: "report",
	inbox.Inactive:    "inactive",
}

// setArchive moves a thread's inbox state by the inbox rules.
func setArchive(st *store.InboxState, e inbox.Event, autoArchive bool) {
	cur := inbox.ArchiveState{Archived: st.Archived}
	if st.Archived {
		cur.Reason = inbox.ByUser
		for r, w := range wireReasons {
			if w == st.ArchivedReason && r != inbox.NotArchived {
				cur.Reason = r
			}
		}
	}
	next := inbox.ArchiveOn(cur, e, autoArchive)
	st.Archived, st.ArchivedReason = next.Archived, wireReasons[next.Reason]
}
