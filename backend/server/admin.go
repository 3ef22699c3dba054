package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// maxOverview bounds each list of the Admin section.
const maxOverview = 200

// requireAdmin checks the caller is an admin of the campaign: every admin
// route starts with it. Volunteers and outsiders get the same 403.
func requireAdmin(ctx context.Context, tx store.Tx, userID, campaignID string) (store.Campaign, error) {
	forbidden := &httpError{status: http.StatusForbidden, body: apiErr(api.CodeForbidden, "",
		"only the campaign's admins can see this")}
	m, err := tx.Membership(ctx, campaignID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Campaign{}, forbidden
	}
	if err != nil {
		return store.Campaign{}, err
	}
	if m.Role != store.RoleAdmin {
		return store.Campaign{}, forbidden
	}
	return tx.CampaignByID(ctx, campaignID)
}

// handleAdminOverview answers GET /api/v1/campaigns/{id}/admin.
func (s *Server) handleAdminOverview(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	var out api.AdminOverview
	err := s.store.View(ctx, func(tx store.Tx) error {
		c, err := requireAdmin(ctx, tx, u.ID, r.PathValue("id"))
		if err != nil {
			return err
		}
		out, err = adminOverview(ctx, tx, u, c)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func adminOverview(ctx context.Context, tx store.Tx, u store.User, c store.Campaign) (api.AdminOverview, error) {
	out := api.AdminOverview{Reassigned: []api.Thread{}, AbuseReports: []api.AbuseReport{}, Unroutable: []api.UnroutableText{}, OptIns: []api.OptIn{}}
	ld := newLoader(tx, u.ID)
	mine, err := tx.ReassignedTo(ctx, u.ID, c.ID, maxOverview)
	if err != nil {
		return out, err
	}
	ids := make([]string, len(mine))
	for i, th := range mine {
		ids[i] = th.ID
		ld.threads[th.ID] = &mine[i]
	}
	if ld.states, err = tx.InboxStates(ctx, u.ID, ids); err != nil {
		return out, err
	}
	if err := ld.prefetchConversation(ctx, map[string][]string{api.KindThread: ids}); err != nil {
		return out, err
	}
	// "Not answered yet" goes by the texts that went: a reply that failed
	// at the provider answered nobody, though it moved the thread's time.
	answered, err := tx.LastAnswered(ctx, ids)
	if err != nil {
		return out, err
	}
	for _, id := range ids {
		t, err := ld.load(ctx, api.KindThread, id)
		if err != nil {
			return out, err
		}
		if t != nil {
			th := t.(api.Thread)
			th.LastOutboundAt = nil
			if at, ok := answered[id]; ok {
				th.LastOutboundAt = &at
			}
			out.Reassigned = append(out.Reassigned, th)
		}
	}
	if out.AbuseReports, err = abuseReports(ctx, tx, ld, c, store.MarkOpen); err != nil {
		return out, err
	}
	if out.AbuseReportsReviewed, err = tx.CountMarked(ctx, store.AbuseReportMarks, store.MarkDone, c.ID); err != nil {
		return out, err
	}
	if out.Unroutable, err = unroutableTexts(ctx, tx, c, store.MarkOpen); err != nil {
		return out, err
	}
	if out.UnroutableHandled, err = tx.CountMarked(ctx, store.UnroutableMarks, store.MarkDone, c.ID); err != nil {
		return out, err
	}
	if out.OptIns, err = optIns(ctx, tx, u, c, store.MarkOpen); err != nil {
		return out, err
	}
	if out.OptInsReviewed, err = tx.CountMarked(ctx, store.OptInMarks, store.MarkDone, c.ID); err != nil {
		return out, err
	}
	// A list shorter than the cap holds them all: counted only past it, so
	// the overview every admin's app reads each 30 s costs no more.
	out.ReassignedTotal, out.AbuseReportsOpen, out.UnroutableOpen, out.OptInsOpen =
		len(out.Reassigned), len(out.AbuseReports), len(out.Unroutable), len(out.OptIns)
	if len(mine) == maxOverview {
		if out.ReassignedTotal, err = tx.CountReassignedTo(ctx, u.ID, c.ID); err != nil {
			return out, err
		}
	}
	for _, l := range []struct {
		n *int
		m store.Marks
	}{{&out.AbuseReportsOpen, store.AbuseReportMarks}, {&out.UnroutableOpen, store.UnroutableMarks}, {&out.OptInsOpen, store.OptInMarks}} {
		if *l.n < maxOverview {
			continue
		}
		if *l.n, err = tx.CountMarked(ctx, l.m, store.MarkOpen, c.ID); err != nil {
			return out, err
		}
	}
	return out, nil
}

// newLoader reads what the Admin section's rows name (actions, threads)
// once per request.
func newLoader(tx store.Tx, userID string) *loader {
	return &loader{tx: tx, userID: userID, actions: map[string]store.Action{}, threads: map[string]*store.Thread{}}
}
