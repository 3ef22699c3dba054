package server

import (
	"net/http"
	"strings"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// optOutsPage is how many opted-out conversations one page of the Admin
// section's list holds: each report's is read for its other campaigns'
// reports (adminOptOut), so a page stays short.
const optOutsPage = 50

// handleAdminOptOuts answers GET /api/v1/campaigns/{id}/admin/opt-outs
// [?after=NEXT]: a page of the campaign's opted-out conversations, the
// newest opt-out first, each with its number's opt-out as the
// conversation's admin read gives it (where it came from, whether Undo Opt
// Out may lift it, or which campaign's admins may), and how many there are.
// Admins of the campaign only, and only its conversations: an opt-out with
// none here (an import's number this campaign never texted, another
// campaign's contact) is not listed; export opt-outs lists the
// organization's.
func (s *Server) handleAdminOptOuts(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	after, err := optOutsCursor(r.URL.Query().Get("after"))
	if err != nil {
		return err
	}
	out := api.AdminOptOutsResponse{OptOuts: []api.AdminOptOutRow{}}
	err = s.store.View(ctx, func(tx store.Tx) error {
		c, err := requireAdmin(ctx, tx, u.ID, r.PathValue("id"))
		if err != nil {
			return err
		}
		// One more than the page: whether another follows.
		list, err := tx.OptedOutThreads(ctx, c.ID, after, optOutsPage+1)
		if err != nil {
			return err
		}
		if len(list) > optOutsPage {
			list = list[:optOutsPage]
			last := list[len(list)-1]
			out.Next = last.At + cursorSep + last.ThreadID
		}
		outs := make([]store.OptOut, len(list))
		for i, x := range list {
			outs[i] = x.OptOut
		}
		starts, err := startsOf(ctx, tx, c.ID, outs)
		if err != nil {
			return err
		}
		for _, x := range list {
			a, err := adminOptOut(ctx, tx, x.OptOut, c.ID, starts)
			if err != nil {
				return err
			}
			out.OptOuts = append(out.OptOuts, api.AdminOptOutRow{ThreadID: x.ThreadID, ContactName: x.ContactName,
				ContactPhone: x.OptOut.Phone, Blocked: x.Blocked, OptOut: a})
		}
		out.Total, err = tx.CountOptedOutThreads(ctx, c.ID)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// cursorSep joins a page's last time and thread in its Next.
const cursorSep = "~"

// optOutsCursor reads ?after=, a Next this server gave ("" for the first
// page); 400 naming it for anything else.
func optOutsCursor(after string) (store.OptedOutCursor, error) {
	if after == "" {
		return store.OptedOutCursor{}, nil
	}
	at, id, ok := strings.Cut(after, cursorSep)
	if ok && len(id) <= maxRowID && id != "" {
		if _, err := store.ParseTimeText(at); err == nil {
			return store.OptedOutCursor{At: at, ThreadID: id}, nil
		}
	}
	return store.OptedOutCursor{}, badField("after", "not where a page of opt-outs ended (the next this server gave): ask for the first page again")
}
