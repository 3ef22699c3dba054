package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// maxRowID bounds a row's id in a path (ours are UUIDs, an abuse report's
// the block mutation's id): the API's one bound on an id.
const maxRowID = api.MaxID

// markList is one of the Admin section's lists whose rows an admin marks
// done once dealt with, and open again: the unroutable texts (handled), the
// abuse reports and the opt-ins (reviewed). One set of routes, errors and
// log lines for all three (store.Marks keeps who and when).
type markList struct {
	marks store.Marks
	// list and rowPath are its routes' paths: the rows marked done, and
	// one row's mark.
	list, rowPath string
	param         string // the row's id in rowPath
	field         string // the body's boolean, and the word for done: "handled", "reviewed"
	noun          string // "text", "report", "opt-in": what the errors call a row
	// campaignOf is the campaign a row is kept with (ErrNotFound for no such
	// row): a row of another campaign is answered as an unknown one.
	campaignOf func(ctx context.Context, tx store.Tx, id string) (string, error)
	// done lists the campaign's rows marked done (GET), as JSON.
	done func(ctx context.Context, tx store.Tx, u store.User, c store.Campaign) (any, error)
	// row is one row as the Admin section shows it, after a mark.
	row func(ctx context.Context, tx store.Tx, u store.User, c store.Campaign, id string) (any, error)
}

// markLists are the lists, by name (their paths' segment after .../admin/).
func (s *Server) markLists() map[string]markList {
	return map[string]markList{
		"unroutable": {marks: store.UnroutableMarks, list: api.PathUnroutableHandled, rowPath: api.PathUnroutableTextHandled, param: "textId", field: "handled", noun: "unroutable text",
			campaignOf: func(ctx context.Context, tx store.Tx, id string) (string, error) {
				x, err := tx.UnroutableByID(ctx, id)
				return x.CampaignID, err
			},
			done: func(ctx context.Context, tx store.Tx, _ store.User, c store.Campaign) (any, error) {
				list, err := unroutableTexts(ctx, tx, c, store.MarkDone)
				return api.UnroutableResponse{Unroutable: list}, err
			},
			row: func(ctx context.Context, tx store.Tx, _ store.User, c store.Campaign, id string) (any, error) {
				x, err := tx.UnroutableByID(ctx, id)
				if err != nil {
					return nil, err
				}
				rows, err := unroutableRows(ctx, tx, c, []store.Unroutable{x})
				return first(rows, err)
			}},
		"abuse-reports": {marks: store.AbuseReportMarks, list: api.PathAbuseReportsReviewed, rowPath: api.PathAbuseReportReviewed, param: "reportId", field: "reviewed", noun: "abuse report",
			campaignOf: func(ctx context.Context, tx store.Tx, id string) (string, error) {
				r, err := tx.AbuseReportByID(ctx, id)
				return r.CampaignID, err
			},
			done: func(ctx context.Context, tx store.Tx, u store.User, c store.Campaign) (any, error) {
				list, err := abuseReports(ctx, tx, newLoader(tx, u.ID), c, store.MarkDone)
				return api.AbuseReportsResponse{AbuseReports: list}, err
			},
			row: func(ctx context.Context, tx store.Tx, u store.User, _ store.Campaign, id string) (any, error) {
				r, err := tx.AbuseReportByID(ctx, id)
				if err != nil {
					return nil, err
				}
				rows, err := abuseReportRows(ctx, tx, newLoader(tx, u.ID), []store.AbuseReport{r})
				return first(rows, err)
			}},
		"opt-ins": {marks: store.OptInMarks, list: api.PathOptInsReviewed, rowPath: api.PathOptInReviewed, param: "optInId", field: "reviewed", noun: "opt-in",
			campaignOf: func(ctx context.Context, tx store.Tx, id string) (string, error) {
				o, err := tx.OptInByID(ctx, id)
				return o.CampaignID, err
			},
			done: func(ctx context.Context, tx store.Tx, u store.User, c store.Campaign) (any, error) {
				list, err := optIns(ctx, tx, u, c, store.MarkDone)
				return api.OptInsResponse{OptIns: list}, err
			},
			row: optInRow},
	}
}

func first[T any](rows []T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return rows[0], nil
}

func optInRow(ctx context.Context, tx store.Tx, u store.User, c store.Campaign, id string) (any, error) {
	o, err := tx.OptInByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return first(optInRows(ctx, tx, u, c, []store.OptIn{o}))
}

// markRoutes are GET .../admin/{list}/{handled|reviewed} and
// PUT .../admin/{list}/{rowId}/{handled|reviewed} for every list.
func (s *Server) markRoutes() []route {
	var out []route
	for _, l := range s.markLists() {
		out = append(out,
			route{"GET", l.list, s.authed(s.adminRead(s.handleMarkedList(l)))},
			route{"PUT", l.rowPath, s.authed(s.handleSetMarked(l))})
	}
	return out
}

// handleMarkedList answers GET .../admin/{list}/{handled|reviewed}: the
// campaign's rows an admin marked done, newest first (the overview lists
// the open ones and counts these). Admins only.
func (s *Server) handleMarkedList(l markList) authedHandler {
	return func(w http.ResponseWriter, r *http.Request, u store.User) error {
		ctx := r.Context()
		var out any
		err := s.store.View(ctx, func(tx store.Tx) error {
			c, err := requireAdmin(ctx, tx, u.ID, r.PathValue("id"))
			if err != nil {
				return err
			}
			out, err = l.done(ctx, tx, u, c)
			return err
		})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, out)
		return nil
	}
}

// handleSetMarked answers PUT .../admin/{list}/{rowId}/{handled|reviewed}
// with {"handled"|"reviewed": true|false}: an admin of the campaign marks
// one of its rows done (who and when are kept; marking it again changes
// nothing) or open again. The row is kept either way. A row of another
// campaign is 404, as an unknown one: its existence is not the caller's
// to learn.
func (s *Server) handleSetMarked(l markList) authedHandler {
	return func(w http.ResponseWriter, r *http.Request, u store.User) error {
		ctx := r.Context()
		id := r.PathValue(l.param)
		if len(id) > maxRowID {
			return badField(l.param, "the %s id is longer than %d characters", l.noun, maxRowID)
		}
		var req struct {
			Handled  *bool `json:"handled"`
			Reviewed *bool `json:"reviewed"`
		}
		if err := decode(w, r, &req); err != nil {
			return err
		}
		done := map[string]*bool{"handled": req.Handled, "reviewed": req.Reviewed}[l.field]
		if done == nil {
			return badField(l.field, `say "%s": true to mark the %s %s, or false to mark it open again`, l.field, l.noun, l.field)
		}
		var out any
		err := s.update(ctx, func(tx store.Tx) error {
			c, err := requireAdmin(ctx, tx, u.ID, r.PathValue("id"))
			if err != nil {
				return err
			}
			if err := campaignRow(ctx, tx, l, c.ID, id); err != nil {
				return err
			}
			if err := tx.SetMarked(ctx, l.marks, id, *done, u.ID, s.clock()); err != nil {
				return err
			}
			tx.AdminChanged(c.ID)
			out, err = l.row(ctx, tx, u, c, id)
			return err
		})
		if err != nil {
			return err
		}
		s.log.Info().Str("campaign", r.PathValue("id")).Str(l.param, id).Str("user", u.ID).Bool(l.field, *done).
			Msg(l.noun + " marked")
		writeJSON(w, http.StatusOK, out)
		return nil
	}
}

// campaignRow checks the row id is the campaign's; 404 for none or
// another campaign's.
func campaignRow(ctx context.Context, tx store.Tx, l markList, campaignID, id string) error {
	of, err := l.campaignOf(ctx, tx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && of != campaignID) {
		return &httpError{status: http.StatusNotFound, body: apiErr(api.CodeNotFound, l.param,
			"no such %s in this campaign", l.noun)}
	}
	return err
}

// handleOptBackIn answers POST .../admin/opt-ins/{optInId}/opt-back-in: an
// admin of the campaign lifts the organization's opt-out of the number
// that texted START (liftOptOut, the one place that does) and marks the
// opt-in reviewed. Doing it again on the same opt-in changes nothing; a
// number no longer opted out, or opted out again after its START, is 409
// and nothing changes.
func (s *Server) handleOptBackIn(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	l := s.markLists()["opt-ins"]
	id := r.PathValue(l.param)
	if len(id) > maxRowID {
		return badField(l.param, "the opt-in id is longer than %d characters", maxRowID)
	}
	var out any
	var lifted bool
	err := s.update(ctx, func(tx store.Tx) error {
		c, err := requireAdmin(ctx, tx, u.ID, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := campaignRow(ctx, tx, l, c.ID, id); err != nil {
			return err
		}
		o, err := tx.OptInByID(ctx, id)
		if err != nil {
			return err
		}
		if o.OrganizationID != c.OrganizationID {
			// Kept with this campaign, it is its organization's: never so.
			return fmt.Errorf("opt-in %s of organization %s kept with campaign %s of %s", id, o.OrganizationID, c.ID, c.OrganizationID)
		}
		now := s.clock()
		// Lifted on this START and not opted out since: done already.
		if o.Lifted.At.IsZero() || o.OptedOut {
			if err := liftOptOut(ctx, tx, o, u.ID, now); err != nil {
				return optBackInRefusal(err, o.Phone)
			}
			lifted = true
		}
		if err := tx.SetMarked(ctx, store.OptInMarks, id, true, u.ID, now); err != nil {
			return err
		}
		tx.AdminChanged(c.ID)
		out, err = optInRow(ctx, tx, u, c, id)
		return err
	})
	if err != nil {
		return err
	}
	if lifted {
		s.log.Info().Str("campaign", r.PathValue("id")).Str("optInId", id).Str("user", u.ID).Msg("opt-out lifted on the contact's START")
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// optBackInRefusal words liftOptOut's refusals for the admin (409).
func optBackInRefusal(err error, phone string) error {
	conflict := func(code, msg string) error {
		return &httpError{status: http.StatusConflict, body: apiErr(code, "", "%s", msg)}
	}
	switch {
	case errors.Is(err, errNotOptedOut):
		return conflict(api.CodeNotOptedOut, fmt.Sprintf("%s is not opted out any more (another admin opted them back in): nothing to lift", phone))
	case errors.Is(err, errOptedOutAgain):
		return conflict(api.CodeOptedOutAgain, fmt.Sprintf("%s opted out again after texting START: the opt-out stands", phone))
	}
	return err
}
