package server

import (
	"context"
	"net/http"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// Contacts a volunteer took and has not texted go back to the pool: Stop
// for now and Skip in the app (handleRelease), signing out, an organizer's
// contacts release and archiving a campaign (releaseToPool).

func (s *Server) handleRelease(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	actionID := r.PathValue("id")
	var req api.ReleaseRequest
	// Older apps sent no body: every unsent contact.
	if r.ContentLength != 0 {
		if err := decode(w, r, &req); err != nil {
			return err
		}
	}
	if err := checkReleaseIDs(req.ContactIDs); err != nil {
		return err
	}
	var only []string // nil: all
	if len(req.ContactIDs) > 0 {
		only = req.ContactIDs
	}
	var out api.ReleaseResponse
	err := s.update(ctx, func(tx store.Tx) error {
		a, _, err := memberAction(ctx, tx, u.ID, actionID)
		if err != nil {
			return err
		}
		n, err := s.release(ctx, tx, a.ID, u.ID, only)
		out.Released = n
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// maxRelease bounds the contacts one release names (a batch is at most
// a few hundred).
const maxRelease = 1000

// checkReleaseIDs refuses a release naming no contacts in a list, too many
// contacts, or an empty or overlong id.
func checkReleaseIDs(ids []string) error {
	// [] is not "none named": a client that meant to name some and named
	// none would hand back every contact the volunteer holds.
	if ids != nil && len(ids) == 0 {
		return badField("contactIds", "contactIds is an empty list: name the contacts to release, or leave contactIds out to release every unsent one")
	}
	if len(ids) > maxRelease {
		return &httpError{status: http.StatusBadRequest, body: apiErr(api.CodeBadRequest, "",
			"a release names at most %d contacts, this one %d", maxRelease, len(ids))}
	}
	for i, id := range ids {
		if id == "" || len(id) > maxMutationID {
			return &httpError{status: http.StatusBadRequest, body: apiErr(api.CodeBadRequest, "",
				"contactIds[%d] is not a contact id", i)}
		}
	}
	return nil
}

// release hands userID's unsent contacts of the action (those of only, if
// not nil) back to the pool, with the feed rows that take them out of the
// volunteer's queue, and says how many.
func (s *Server) release(ctx context.Context, tx store.Tx, actionID, userID string, only []string) (int, error) {
	n, err := releaseToPool(ctx, tx, s.clock(), actionID, userID, only)
	if n > 0 {
		// Back in the pool: the next hand-out counts it again. (A group
		// run again forgets again: the count is for display.)
		s.pools.forget(actionID)
	}
	return n, err
}

// releaseToPool is the store's release with the feed rows that take the
// contacts out of the volunteer's queue (also the organizer's archive).
func releaseToPool(ctx context.Context, tx store.Tx, at time.Time, actionID, userID string, only []string) (int, error) {
	ids, err := tx.ReleaseContacts(ctx, actionID, userID, only)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	rows := make([]store.FeedRow, len(ids))
	for i, id := range ids {
		rows[i] = store.FeedRow{UserID: userID, Kind: api.KindAssignment, EntityID: id}
	}
	if err := tx.AppendFeeds(ctx, at, rows...); err != nil {
		return 0, err
	}
	return len(ids), nil
}
