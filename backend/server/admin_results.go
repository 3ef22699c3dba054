package server

import (
	"net/http"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// handleAdminResults answers GET /api/v1/campaigns/{id}/admin/results: each
// action's results per initial script, as `textbankd stats` prints them
// (actionResults), for the Admin section's Results. Counted on each
// request, not kept: an organizer opens it now and then, and a count that
// was kept would be one more thing every send writes.
func (s *Server) handleAdminResults(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	out := api.CampaignResults{Actions: []api.ActionResults{}}
	err := s.store.View(ctx, func(tx store.Tx) error {
		c, err := requireAdmin(ctx, tx, u.ID, r.PathValue("id"))
		if err != nil {
			return err
		}
		actions, err := tx.ActionsByCampaign(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, a := range actions {
			res, err := actionResults(ctx, tx, a, c.OrganizationID)
			if err != nil {
				return err
			}
			out.Actions = append(out.Actions, res)
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
