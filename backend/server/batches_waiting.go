package server

import (
	"context"
	"net/http"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/texting"
)

// waitingPool is a hand-out that read no pool row: every contact left
// waits for a time, first the one named.
type waitingPool struct {
	action     store.Action
	orgID      string
	first      store.Wait
	since, now time.Time
}

// waitingRefusal answers a Text Again whose pool holds only contacts
// waiting for a time: how many are left, why the first back waits (the
// 6-hour lock or its texting hours), and when it can be texted. Read after
// the hand-out's commit, on a read snapshot, not in the writer (the count
// is the pool's, as a batch's remaining is).
func (s *Server) waitingRefusal(ctx context.Context, w waitingPool) error {
	countCtx := context.WithoutCancel(ctx)
	left, err := s.pools.count(w.action.ID, s.clock(), func() (n int, err error) {
		err = s.store.View(countCtx, func(tx store.Tx) (err error) {
			n, err = tx.CountAssignable(countCtx, w.action.ID)
			return err
		})
		return n, err
	})
	if err != nil {
		return err
	}
	var recent bool
	if err := s.store.View(ctx, func(tx store.Tx) error {
		first, err := tx.ContactByID(ctx, w.first.ContactID)
		if err != nil {
			return err
		}
		recent, err = tx.InitialSentSince(ctx, w.orgID, first.Phone, w.since)
		return err
	}); err != nil {
		return err
	}
	a, in := w.action, texting.WaitWords(w.first.Until.Sub(w.now))
	if recent {
		return &httpError{status: http.StatusConflict, body: apiErr(api.CodeRecentlyTexted, "",
			"the %d contacts left in %q cannot be texted yet (a first text from your organization in the last %d hours, from another action or campaign, or their texting hours); the first can be texted in %s",
			left, a.Title, int(texting.InitialLock/time.Hour), in)}
	}
	return &httpError{status: http.StatusConflict, body: apiErr(api.CodeOutsideHours, "",
		"it is outside texting hours (%s-%s) for the %d contacts left in %q; the first can be texted in %s",
		a.TextingHours.Start, a.TextingHours.End, left, a.Title, in)}
}
