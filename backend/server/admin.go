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
	ld := &loader{tx: tx, userID: u.ID, actions: map[string]store.Action{}, threads: map[string]*store.Thread{}}
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
	for _, id := range ids {
		t, err := ld.load(ctx, api.KindThread, id)
		if err != nil {
			return out, err
		}
		if t != nil {
			out.Reassigned = append(out.Reassigned, t.(api.Thread))
		}
	}
	if out.AbuseReports, err = abuseReports(ctx, tx, ld, c.ID); err != nil {
		return out, err
	}
	if out.Unroutable, err = unroutableTexts(ctx, tx, c, store.UnroutableOpen); err != nil {
		return out, err
	}
	if out.UnroutableHandled, err = tx.CountHandledUnroutable(ctx, c.ID); err != nil {
		return out, err
	}
	if out.OptIns, err = optIns(ctx, tx, u, c); err != nil {
		return out, err
	}
	return out, nil
}

func abuseReports(ctx context.Context, tx store.Tx, ld *loader, campaignID string) ([]api.AbuseReport, error) {
	reports, err := tx.AbuseReports(ctx, campaignID, maxOverview)
	if err != nil {
		return nil, err
	}
	var threadIDs, userIDs []string
	for _, r := range reports {
		threadIDs, userIDs = append(threadIDs, r.ThreadID), append(userIDs, r.UserID)
	}
	threads, err := tx.ThreadsByIDs(ctx, threadIDs)
	if err != nil {
		return nil, err
	}
	users, err := tx.UsersByIDs(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	// One read of the last replies for every report, not one per report
	// (the overview refreshes every 30 s in each admin's app).
	last, err := tx.LastInboundByThreads(ctx, threadIDs)
	if err != nil {
		return nil, err
	}
	out := []api.AbuseReport{}
	for _, r := range reports {
		th := threads[r.ThreadID]
		a, err := ld.action(ctx, th.ActionID)
		if err != nil {
			return nil, err
		}
		out = append(out, api.AbuseReport{ThreadID: th.ID, ActionTitle: a.Title, ContactName: th.ContactName,
			ContactPhone: th.ContactPhone, ReportedBy: users[r.UserID].Name, Reason: r.Reason, Note: r.Note, At: r.CreatedAt,
			LastMessage: last[th.ID]})
	}
	return out, nil
}
