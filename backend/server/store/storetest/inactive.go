package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testInactiveActivity: the two-month archiver's candidates leave out a
// thread its owner took out of the archive, or reported on, at or after the
// cutoff (server.lastActivity is the rule; this is its SQL).
func testInactiveActivity(t *testing.T, st store.Store) {
	w := newWorld(t, st, "inact", 1)
	t0th := w.thread(t, st, 0, w.Volunteer.ID) // last message at +1m
	for _, c := range []struct {
		name           string
		unarchived, rp time.Duration
		want           int
	}{
		{"unarchived by its owner after the cutoff", 48 * time.Hour, 0, 0},
		{"unarchived at the cutoff's instant", 24 * time.Hour, 0, 0},
		{"unarchived before the cutoff", 2 * time.Hour, 0, 1},
		{"reported on after the cutoff", 2 * time.Hour, 30 * time.Hour, 0},
		{"reported on before the cutoff", 2 * time.Hour, 3 * time.Hour, 1},
	} {
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			th, err := tx.ThreadByID(ctx, t0th.ID)
			if err != nil {
				return err
			}
			th.LastReportAt = nil
			if c.rp > 0 {
				th.LastReportAt = ptr(at(c.rp))
			}
			if err := tx.UpdateThread(ctx, th); err != nil {
				return err
			}
			return tx.PutInboxState(ctx, store.InboxState{UserID: w.Volunteer.ID, ThreadID: t0th.ID, UnarchivedAt: ptr(at(c.unarchived))})
		})
		got := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Thread, error) {
			return tx.InactiveThreads(ctx, at(24*time.Hour), 10)
		})
		if len(got) != c.want {
			t.Errorf("%s: InactiveThreads = %v, want %d", c.name, threadIDs(got), c.want)
		}
	}
}
