package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// handleAdminThread answers GET /api/v1/campaigns/{id}/admin/threads/{threadId}:
// every text of one conversation of the campaign, for its admins. A
// conversation a volunteer blocked is hidden from them for good and its
// texts are kept for the admins: the Admin section's report of abuse reads
// them here. Volunteers and outsiders get the Admin section's 403; a thread
// of another campaign (or none) is 404, as an unknown one.
func (s *Server) handleAdminThread(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	var out api.MessagesResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		c, err := requireAdmin(ctx, tx, u.ID, r.PathValue("id"))
		if err != nil {
			return err
		}
		out.Messages, err = campaignThreadMessages(ctx, tx, c.ID, r.PathValue("threadId"))
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func campaignThreadMessages(ctx context.Context, tx store.Tx, campaignID, threadID string) ([]api.Message, error) {
	notFound := &httpError{status: http.StatusNotFound, body: apiErr(api.CodeNotFound, "", "no such conversation in this campaign")}
	th, err := tx.ThreadByID(ctx, threadID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && th.CampaignID != campaignID) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	ids, _, err := tx.ThreadChildren(ctx, th.ID)
	if err != nil {
		return nil, err
	}
	msgs, err := tx.MessagesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	var senders []string
	for _, m := range msgs {
		if m.SenderID != "" {
			senders = append(senders, m.SenderID)
		}
	}
	users, err := tx.UsersByIDs(ctx, senders)
	if err != nil {
		return nil, err
	}
	out := []api.Message{}
	for _, id := range ids {
		m, ok := msgs[id]
		if !ok {
			continue
		}
		am := apiMessage(m)
		if m.SenderID != "" {
			am.SentByName = users[m.SenderID].Name
		}
		out = append(out, am)
	}
	return out, nil
}
