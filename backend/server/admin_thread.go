package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/optout"
	"github.com/textbank/textbank/backend/server/store"
)

// handleAdminThread answers GET /api/v1/campaigns/{id}/admin/threads/{threadId}:
// every text of one conversation of the campaign, for its admins, and the
// organization's opt-out of its number. A conversation a volunteer blocked
// is hidden from them for good and its texts are kept for the admins: the
// Admin section's report of abuse reads them here. Volunteers and
// outsiders get the Admin section's 403; a thread of another campaign (or
// none) is 404, as an unknown one.
func (s *Server) handleAdminThread(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	var out api.MessagesResponse
	err := s.store.View(ctx, func(tx store.Tx) error {
		c, err := requireAdmin(ctx, tx, u.ID, r.PathValue("id"))
		if err != nil {
			return err
		}
		th, err := campaignThread(ctx, tx, c.ID, r.PathValue("threadId"))
		if err != nil {
			return err
		}
		out, err = adminThread(ctx, tx, th)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// campaignThread is one of the campaign's threads; 404 for none or another
// campaign's, as an unknown one (its existence is not the caller's to learn).
func campaignThread(ctx context.Context, tx store.Tx, campaignID, threadID string) (store.Thread, error) {
	th, err := tx.ThreadByID(ctx, threadID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && th.CampaignID != campaignID) {
		return store.Thread{}, &httpError{status: http.StatusNotFound, body: apiErr(api.CodeNotFound, "", "no such conversation in this campaign")}
	}
	return th, err
}

// adminThread is a thread as its campaign's admins read it: its texts,
// every column of its contact and the organization's opt-out of its number.
func adminThread(ctx context.Context, tx store.Tx, th store.Thread) (api.MessagesResponse, error) {
	msgs, err := threadMessages(ctx, tx, th)
	if err != nil {
		return api.MessagesResponse{}, err
	}
	out := api.MessagesResponse{Messages: msgs, Blocked: th.Blocked}
	switch c, err := tx.ContactByID(ctx, th.ID); {
	case err == nil:
		out.ContactDetails = adminDetails(c)
	case !errors.Is(err, store.ErrNotFound):
		return api.MessagesResponse{}, err
	}
	o, err := currentOptOut(ctx, tx, th.OrganizationID, th.ContactPhone)
	if errors.Is(err, errNotOptedOut) {
		return out, nil
	}
	if err != nil {
		return api.MessagesResponse{}, err
	}
	starts, err := startsOf(ctx, tx, th.CampaignID, []store.OptOut{o})
	if err != nil {
		return api.MessagesResponse{}, err
	}
	a, err := adminOptOut(ctx, tx, o, th.CampaignID, starts)
	if err != nil {
		return api.MessagesResponse{}, err
	}
	out.OptOut = &a
	return out, nil
}

// adminOptOut is an opt-out as the admins of campaignID see it under one
// of its conversations: whether they may undo it, and when not because a
// report in another campaign's conversation holds it, which campaign (the
// refusal undoOptOut gives, said before the admin asks); and where the
// contact's START is (starts: startsOf's for its number).
func adminOptOut(ctx context.Context, tx store.Tx, o store.OptOut, campaignID string, starts map[string]store.Starts) (api.AdminOptOut, error) {
	at := o.CreatedAt
	if o.RenewedAt.After(at) {
		at = o.RenewedAt
	}
	a := api.AdminOptOut{Reason: o.Reason, Source: o.Source, ImportedFrom: o.ImportedFrom, At: at, Undoable: undoable(o),
		Start: startState(o, starts[o.Phone])}
	if !a.Undoable {
		return a, nil
	}
	var err error
	if a.ReportedIn, err = reportedElsewhere(ctx, tx, o.OrganizationID, o.Phone, campaignID); err != nil {
		return api.AdminOptOut{}, err
	}
	a.Undoable = a.ReportedIn == ""
	return a, nil
}

// startsOf reads the campaign's STARTs from the numbers of these opt-outs,
// in one statement whatever their number (a page of the Opt-outs list).
func startsOf(ctx context.Context, tx store.Tx, campaignID string, outs []store.OptOut) (map[string]store.Starts, error) {
	phones := make([]string, len(outs))
	for i, o := range outs {
		phones[i] = o.Phone
	}
	return tx.StartsOf(ctx, campaignID, store.DistinctIDs(phones))
}

// startState is where the contact's START is that would lift o, as Opt
// Back In would take it (optout.Lifts: after the opt-out and its
// renewals): an open one first, as the Admin section lists it.
func startState(o store.OptOut, s store.Starts) string {
	switch {
	case optout.Lifts(s.Open, o.CreatedAt, o.RenewedAt):
		return api.StartListed
	case optout.Lifts(s.Reviewed, o.CreatedAt, o.RenewedAt):
		return api.StartReviewed
	default:
		return api.StartNone
	}
}

// threadMessages are a thread's texts, oldest first, each outbound one
// with its sender's name.
func threadMessages(ctx context.Context, tx store.Tx, th store.Thread) ([]api.Message, error) {
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
	// A reply worded like a request to stop is marked as the volunteer's
	// sync marks it: an admin about to undo an opt-out reads it as one.
	likely, err := tx.LikelyOptOuts(ctx, ids)
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
		am.LikelyOptOut = likely[id]
		out = append(out, am)
	}
	return out, nil
}
