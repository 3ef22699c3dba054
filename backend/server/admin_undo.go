package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// Undo Opt Out: an admin of a campaign lifts the organization's opt-out of
// one of its conversations' numbers that reports filed by mistake (a
// volunteer's Opt Out on the wrong conversation), with no START from the
// contact. One the contact asked for is never lifted here.

// handleUndoOptOut answers POST .../admin/threads/{threadId}/undo-opt-out
// with {"optedOutAt": the opt-out's at as the admin saw it}: undoOptOut
// lifts it, as Opt Back In does on a START (endOptOut), and the answer is
// the conversation as the admin thread read gives it after. Refused, with
// nothing changed: 403 to a volunteer, 404 for a conversation not of the
// campaign, 409 for a number not opted out, one the contact asked for
// (or a block's, an import's), one a report in another campaign's
// conversation holds (its admins read it there) and one opted out again
// since.
func (s *Server) handleUndoOptOut(w http.ResponseWriter, r *http.Request, u store.User) error {
	ctx := r.Context()
	var req api.UndoOptOut
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.OptedOutAt == nil {
		return badField("optedOutAt", "say when the number was opted out as you saw it (the conversation's optOut.at), so an opt-out renewed since is not undone unseen")
	}
	var out api.MessagesResponse
	var th store.Thread
	err := s.update(ctx, func(tx store.Tx) error {
		c, err := requireAdmin(ctx, tx, u.ID, r.PathValue("id"))
		if err != nil {
			return err
		}
		if th, err = campaignThread(ctx, tx, c.ID, r.PathValue("threadId")); err != nil {
			return err
		}
		if err := undoOptOut(ctx, tx, th.OrganizationID, th.ContactPhone, c.ID, *req.OptedOutAt, u.ID, s.clock()); err != nil {
			return undoRefusal(err, th.ContactPhone)
		}
		// endOptOut announced the lift to the admins of every campaign
		// with a conversation of the number, this one's among them.
		out, err = adminThread(ctx, tx, th, s.answerBudget())
		return err
	})
	if err != nil {
		return err
	}
	s.log.Info().Str("campaign", r.PathValue("id")).Str("thread", th.ID).Str("user", u.ID).Msg("a report's opt-out undone")
	writeJSON(w, http.StatusOK, out)
	return nil
}

// undoRefusal words undoOptOut's refusals for the admin (409).
func undoRefusal(err error, phone string) error {
	if code, msg, ok := undoRefusalWords(err, phone); ok {
		return &httpError{status: http.StatusConflict, body: apiErr(code, "", "%s", msg)}
	}
	return err
}

// undoRefusalWords are why undoOptOut refused, the app's and textbankd's
// (ok false: err is no refusal).
func undoRefusalWords(err error, phone string) (code, msg string, ok bool) {
	var nr notReportedError
	var re reportedElsewhereError
	switch {
	case errors.Is(err, errNotOptedOut):
		return api.CodeNotOptedOut, phone + " is not opted out now (it never was, or its opt-out was lifted since): nothing to undo", true
	case errors.Is(err, errOptedOutAgain):
		return api.CodeOptedOutAgain, phone + " was opted out again since you looked: read the conversation again before you undo it", true
	case errors.As(err, &nr) && nr.o.Source == store.OptOutContact:
		return api.CodeOptedOutByContact, fmt.Sprintf("%s asked to opt out (%s): only their START lifts it, with Opt Back In", phone, nr.o.Reason), true
	case errors.As(err, &re):
		return api.CodeOptOutReportedElsewhere, fmt.Sprintf("%s was opted out by a report in a conversation of %s, which you cannot read here: an admin of %s reads it there, and undoes it if it was a mistake",
			phone, re.campaign, re.campaign), true
	case errors.As(err, &nr):
		return api.CodeOptOutNotReported, fmt.Sprintf("%s was not opted out by a report alone (%s): only the contact's START lifts it, with Opt Back In",
			phone, nr.o.Reason), true
	}
	return "", "", false
}
