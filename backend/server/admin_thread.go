package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/optout"
	"github.com/textbank/textbank/backend/server/store"
)

// handleAdminThread answers GET /api/v1/campaigns/{id}/admin/threads/{threadId}
// [?before=MESSAGE_ID]: the latest texts of one conversation of the
// campaign, for its admins, and the organization's opt-out of its number.
// A conversation a volunteer blocked is hidden from them for good and its
// texts are kept for the admins: the Admin section's report of abuse reads
// them here. The answer ends at the answer budget (adminThread), and
// ?before= asks for the texts before one it gave. Volunteers and outsiders
// get the Admin section's 403; a thread of another campaign (or none) is
// 404, as an unknown one; a before that is no text of the thread, 400.
func (s *Server) handleAdminThread(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	before, asked := r.URL.Query()["before"]
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
		if asked {
			out, err = earlierTexts(ctx, tx, th, before[0], s.answerBudget())
			return err
		}
		out, err = adminThread(ctx, tx, th, s.answerBudget())
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

// adminThread is a thread as its campaign's admins read it: its latest
// texts, every column of its contact and the organization's opt-out of its
// number, within budget bytes (the texts take what the rest leaves).
func adminThread(ctx context.Context, tx store.Tx, th store.Thread, budget int) (api.MessagesResponse, error) {
	out := api.MessagesResponse{Messages: []api.Message{}, Blocked: th.Blocked}
	switch c, err := tx.ContactByID(ctx, th.ID); {
	case err == nil:
		out.ContactDetails = adminDetails(c)
	case !errors.Is(err, store.ErrNotFound):
		return api.MessagesResponse{}, err
	}
	o, err := currentOptOut(ctx, tx, th.OrganizationID, th.ContactPhone)
	switch {
	case errors.Is(err, errNotOptedOut):
	case err != nil:
		return api.MessagesResponse{}, err
	default:
		starts, err := startsOf(ctx, tx, th.CampaignID, []store.OptOut{o})
		if err != nil {
			return api.MessagesResponse{}, err
		}
		a, err := adminOptOut(ctx, tx, o, th.CampaignID, starts)
		if err != nil {
			return api.MessagesResponse{}, err
		}
		out.OptOut = &a
	}
	rest, err := json.Marshal(out)
	if err != nil {
		return api.MessagesResponse{}, fmt.Errorf("encode conversation %s: %w", th.ID, err)
	}
	ids, _, err := tx.ThreadChildren(ctx, th.ID)
	if err != nil {
		return api.MessagesResponse{}, err
	}
	out.Messages, out.Earlier, err = textsBefore(ctx, tx, ids, len(ids), budget-len(rest)-earlierField)
	return out, err
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
