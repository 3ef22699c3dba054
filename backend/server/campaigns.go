package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/joincode"
	"github.com/textbank/textbank/backend/server/store"
)

const searchLimit = 50

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request, u store.User) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	// Long enough for any campaign's whole name or issue, counted as the
	// campaign file counts them: in characters, not bytes (a name in
	// Cherokee or Chinese is three bytes a character).
	if n := utf8.RuneCountInString(q); n > campaignfile.MaxName {
		return badField("q", "search text is %d characters; at most %d", n, campaignfile.MaxName)
	}
	// Text that could be a join code finds a private campaign by it, so it
	// is a guess at one; a name or an issue is not.
	var g *guess
	if joincode.Valid(q) {
		var err error
		if g, err = s.beginCodeGuess(w, r, u); err != nil {
			return err
		}
		defer g.release()
	}
	var found []store.Campaign
	if err := s.store.View(r.Context(), func(tx store.Tx) error {
		var err error
		found, err = tx.SearchCampaigns(r.Context(), u.ID, q, searchLimit)
		return err
	}); err != nil {
		return err
	}
	if g != nil {
		if !slices.ContainsFunc(found, func(c store.Campaign) bool { return c.JoinCode == q }) {
			g.fail(s.clock())
		} else if wait, ok := g.allowed(s.clock()); !ok {
			// Found, but the address failed too often meanwhile: not shown.
			return s.tooManyCodes(w, r, u, wait, false)
		}
	}
	out := api.CampaignSearchResponse{Campaigns: make([]api.Campaign, 0, len(found))}
	for _, c := range found {
		ac := apiCampaign(c, c.Role)
		// Not even a public campaign's code to a stranger: joining by it
		// would go past the campaign's search_joins_per_hour.
		if c.Role == "" && c.JoinCode != q {
			ac.JoinCode = ""
		}
		out.Campaigns = append(out.Campaigns, ac)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// beginCodeGuess reserves a join code guess for the user and their address,
// or answers 429 too_many_attempts once either has failed too often.
func (s *Server) beginCodeGuess(w http.ResponseWriter, r *http.Request, u store.User) (*guess, error) {
	g, wait, full := s.codes.begin(s.clock(), []string{"user:" + u.ID}, s.throttleKeys(r, "address:")...)
	if wait == 0 {
		return g, nil
	}
	return nil, s.tooManyCodes(w, r, u, wait, full)
}

// tooManyCodes is the 429 for a join code guessed past the limit.
func (s *Server) tooManyCodes(w http.ResponseWriter, r *http.Request, u store.User, wait time.Duration, full bool) error {
	secs := retryAfter(w, wait)
	msg := "join codes throttled after repeated wrong codes"
	if full {
		msg = "join code refused: the throttle's table is full"
	}
	s.refusals.Warn().Str("user", u.ID).Str("address", s.clientAddress(r)).Msg(msg)
	return &httpError{status: http.StatusTooManyRequests, body: apiErr(api.CodeTooManyAttempts, "",
		"Too many join codes tried; wait %s and try again", api.WaitWords(secs))}
}

func apiCampaign(c store.Campaign, role string) api.Campaign {
	out := api.Campaign{ID: c.ID, Name: c.Name, Issue: c.Issue, Public: c.Public, JoinCode: c.JoinCode, Role: role}
	if role != "" {
		out.OrganizationID = c.OrganizationID // members only: search results need not say it
		out.Contact = c.Contact               // members only: a person's email or phone
		out.Archived = !c.Active
	}
	return out
}

func (s *Server) handleJoin(w http.ResponseWriter, r *http.Request, u store.User) error {
	var req api.JoinRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	// A well-formed code is a guess at a campaign, counted; a malformed one
	// is refused below as before, uncounted.
	var g *guess
	if code, err := joincode.Parse(req.Code); req.Code != "" && err == nil {
		if g, err = s.beginCodeGuess(w, r, u); err != nil {
			return err
		}
		defer g.release()
		req.Code = code
	}
	var joined api.Campaign
	var refused *searchRefusal
	var refusedBy store.Campaign
	err := s.update(ctx, func(tx store.Tx) error {
		refused = nil
		c, err := findCampaignToJoin(r, tx, u, req)
		if err != nil {
			return err
		}
		if g != nil {
			// Right, but the address failed too often meanwhile: no
			// answer that tells a right code from a wrong one.
			if wait, ok := g.allowed(s.clock()); !ok {
				return s.tooManyCodes(w, r, u, wait, false)
			}
		}
		// Taken off it by an organizer: the code does not let them back.
		if err := refuseRemoved(ctx, tx, c.ID, u.ID); err != nil {
			return err
		}
		now := s.clock()
		if req.Code == "" {
			isNew, err := isNewMember(ctx, tx, c.ID, u.ID)
			if err != nil {
				return err
			}
			if isNew {
				// A refusal is counted (campaign list), so it commits.
				if refused, err = admitThroughSearch(ctx, tx, c, u.ID, now); err != nil || refused != nil {
					refusedBy = c
					return err
				}
			}
		}
		isNew, err := tx.AddMembership(ctx, store.Membership{CampaignID: c.ID, UserID: u.ID, Role: store.RoleVolunteer, CreatedAt: now})
		if err != nil {
			return err
		}
		m, err := tx.Membership(ctx, c.ID, u.ID)
		if err != nil {
			return err
		}
		newNumber := false
		if _, err := tx.SendingNumber(ctx, c.ID, u.ID); errors.Is(err, store.ErrNotFound) {
			number, err := tx.AssignSendingNumber(ctx, c.ID, u.ID, now)
			switch {
			case errors.Is(err, store.ErrNotFound):
				// The volunteer still joins; send_initial tells them why it cannot send.
				s.log.Warn().Str("campaign", c.ID).Str("user", u.ID).Msg("sending number pool exhausted")
			case err != nil:
				return err
			default:
				newNumber = true
				s.log.Info().Str("campaign", c.ID).Str("user", u.ID).Str("number", number).Msg("sending number assigned")
			}
		} else if err != nil {
			return err
		}
		if isNew || newNumber {
			if err := feedCampaign(ctx, tx, now, u.ID, c.ID); err != nil {
				return err
			}
		}
		joined = apiCampaign(c, m.Role)
		return nil
	})
	var he *httpError
	if g != nil && errors.As(err, &he) && he.body.Code == api.CodeCampaignUnknown {
		g.fail(s.clock())
	}
	if err != nil {
		return err
	}
	if refused != nil {
		return s.answerSearchJoinRefusal(w, r, refusedBy, u.ID, refused)
	}
	writeJSON(w, http.StatusOK, api.JoinResponse{Campaign: joined})
	return nil
}

// feedCampaign puts a campaign and all its actions into a user's feed.
func feedCampaign(ctx context.Context, tx store.Tx, at time.Time, userID, campaignID string) error {
	if err := feed(ctx, tx, at, userID, api.KindCampaign, campaignID); err != nil {
		return err
	}
	actions, err := tx.ActionsByCampaign(ctx, campaignID)
	if err != nil {
		return err
	}
	for _, a := range actions {
		if err := feed(ctx, tx, at, userID, api.KindAction, a.ID); err != nil {
			return err
		}
	}
	return nil
}

func findCampaignToJoin(r *http.Request, tx store.Tx, u store.User, req api.JoinRequest) (store.Campaign, error) {
	ctx := r.Context()
	switch {
	case req.Code != "":
		code, err := joincode.Parse(req.Code)
		if err != nil {
			return store.Campaign{}, &httpError{status: http.StatusBadRequest, body: apiErr(api.CodeInvalidJoinCode, "code", "%s", capitalize(err.Error()))}
		}
		c, err := tx.CampaignByJoinCode(ctx, code)
		if errors.Is(err, store.ErrNotFound) {
			return store.Campaign{}, &httpError{status: http.StatusNotFound, body: apiErr(api.CodeCampaignUnknown, "code",
				"%s. Check the code with your organizer, or search for the campaign by name", capitalize(joincode.Unknown(code)))}
		}
		return c, err
	case req.CampaignID != "":
		c, err := tx.CampaignByID(ctx, req.CampaignID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return store.Campaign{}, err
		}
		if err == nil && c.Active && c.Public {
			return c, nil
		}
		if err == nil && c.Active {
			if _, merr := tx.Membership(ctx, c.ID, u.ID); merr == nil {
				return c, nil
			}
		}
		return store.Campaign{}, &httpError{status: http.StatusNotFound, body: apiErr(api.CodeCampaignUnknown, "campaignId",
			"No public campaign has id %s; ask the organizer for the join code", req.CampaignID)}
	default:
		return store.Campaign{}, &httpError{status: http.StatusBadRequest, body: apiErr(api.CodeInvalidJoinCode, "code",
			"Enter the campaign's 6-digit join code")}
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
