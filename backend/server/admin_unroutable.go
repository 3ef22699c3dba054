package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// maxTextID bounds an unroutable text's id in a path (ours are UUIDs).
const maxTextID = 100

// handleHandledUnroutable answers GET
// /api/v1/campaigns/{id}/admin/unroutable/handled: the campaign's
// unroutable texts an admin marked handled, newest first (the overview
// lists the open ones and counts these). Admins only.
func (s *Server) handleHandledUnroutable(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	var out api.UnroutableResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		c, err := requireAdmin(ctx, tx, u.ID, r.PathValue("id"))
		if err != nil {
			return err
		}
		out.Unroutable, err = unroutableTexts(ctx, tx, c, store.UnroutableHandled)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// handleSetUnroutableHandled answers PUT
// /api/v1/campaigns/{id}/admin/unroutable/{textId}/handled with
// {"handled": true|false}: an admin of the campaign marks one of its
// unroutable texts handled (who and when are kept; marking it again
// changes nothing) or open again. The text is kept either way. A text of
// another campaign is 404, as an unknown one: its existence is not the
// caller's to learn.
func (s *Server) handleSetUnroutableHandled(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	textID := r.PathValue("textId")
	if len(textID) > maxTextID {
		return badField("textId", "the text id is longer than %d characters", maxTextID)
	}
	var req api.UnroutableHandled
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.Handled == nil {
		return badField("handled", `say "handled": true to mark the text handled, or false to mark it open again`)
	}
	var out api.UnroutableText
	err := s.update(ctx, func(tx store.Tx) error {
		c, err := requireAdmin(ctx, tx, u.ID, r.PathValue("id"))
		if err != nil {
			return err
		}
		if _, err := campaignUnroutable(ctx, tx, c.ID, textID); err != nil {
			return err
		}
		if err := tx.SetUnroutableHandled(ctx, textID, *req.Handled, u.ID, s.clock()); err != nil {
			return err
		}
		x, err := tx.UnroutableByID(ctx, textID)
		if err != nil {
			return err
		}
		rows, err := unroutableRows(ctx, tx, c, []store.Unroutable{x})
		if err != nil {
			return err
		}
		out = rows[0]
		return nil
	})
	if err != nil {
		return err
	}
	s.log.Info().Str("campaign", r.PathValue("id")).Str("text", textID).Str("user", u.ID).Bool("handled", *req.Handled).
		Msg("unroutable text marked")
	writeJSON(w, http.StatusOK, out)
	return nil
}

// campaignUnroutable is the campaign's unroutable text textID; 404 for
// none or another campaign's.
func campaignUnroutable(ctx context.Context, tx store.Tx, campaignID, textID string) (store.Unroutable, error) {
	x, err := tx.UnroutableByID(ctx, textID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && x.CampaignID != campaignID) {
		return store.Unroutable{}, &httpError{status: http.StatusNotFound, body: apiErr(api.CodeNotFound, "textId",
			"no such unroutable text in this campaign")}
	}
	return x, err
}
