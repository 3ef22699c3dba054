package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/campaignfile"
	"github.com/textbank/textbank/backend/server/store"
)

// searchJoinWindow is the hour a campaign's search_joins_per_hour counts.
const searchJoinWindow = time.Hour

// admitThroughSearch records userID joining campaign c through search (by
// its id, without the code), or, past the campaign's limit, the refusal,
// which it returns for the caller to answer once the refusal is committed.
// A public campaign is found by anyone who signs up, and each new member is
// handed a batch of contacts: the limit bounds the contacts strangers take
// an hour. The join code is never limited by it.
func admitThroughSearch(ctx context.Context, tx store.Tx, c store.Campaign, userID string, now time.Time) (*httpError, error) {
	limit := campaignfile.SearchJoins(c.SearchJoinsPerHour)
	n, first, err := tx.SearchJoinsSince(ctx, c.ID, now.Add(-searchJoinWindow))
	if err != nil {
		return nil, err
	}
	if n < limit {
		return nil, tx.AddSearchJoin(ctx, c.ID, userID, now)
	}
	if err := tx.AddSearchJoinRefusal(ctx, c.ID, userID, now); err != nil {
		return nil, err
	}
	return searchJoinRefusal(c, limit, first.Add(searchJoinWindow).Sub(now)), nil
}

// searchJoinRefusal words the refusal for the volunteer: the join code
// always lets them in, so it says whom to ask for it.
func searchJoinRefusal(c store.Campaign, limit int, wait time.Duration) *httpError {
	ask := "ask its organizers for the join code"
	if c.Contact != "" {
		ask = fmt.Sprintf("ask its organizers (%s) for the join code", c.Contact)
	}
	body := apiErr(api.CodeJoinCodeNeeded, "campaignId", "%s takes new volunteers by join code only: %s", c.Name, ask)
	if limit > 0 {
		secs := int(wait.Round(time.Second) / time.Second)
		body = apiErr(api.CodeJoinCodeNeeded, "campaignId", "%s takes %d new volunteers an hour through search, and that many joined in the last hour: %s, or try again in %s",
			c.Name, limit, ask, api.WaitWords(max(secs, 1)))
	}
	return &httpError{status: http.StatusForbidden, body: body}
}

// logSearchJoinRefusal says in the server's log who was refused where, for
// an organizer wondering why volunteers say they cannot join.
func (s *Server) logSearchJoinRefusal(r *http.Request, c store.Campaign, userID string, refusal *httpError) {
	s.refusals.Warn().Str("campaign", c.ID).Str("user", userID).Str("address", s.clientAddress(r)).
		Int("search_joins_per_hour", campaignfile.SearchJoins(c.SearchJoinsPerHour)).
		Str("code", refusal.body.Code).Msg("join through search refused: the campaign's search_joins_per_hour is reached")
}

// isNewMember says whether userID is not yet a member of the campaign.
func isNewMember(ctx context.Context, tx store.Tx, campaignID, userID string) (bool, error) {
	_, err := tx.Membership(ctx, campaignID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	return false, err
}
