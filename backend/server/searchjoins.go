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

// searchRefusal is a join through search refused: the answer, the wait
// until the campaign's hour frees a place (0: waiting does not help, the
// campaign takes none that way), and the account's refusals of it.
type searchRefusal struct {
	answer  *httpError
	wait    time.Duration
	counted store.SearchJoinRefusal
}

// admitThroughSearch records userID joining campaign c through search (by
// its id, without the code), or, past the campaign's limit, the refusal,
// which it returns for the caller to answer once the refusal is committed.
// A public campaign is found by anyone who signs up, and each new member is
// handed a batch of contacts: the limit bounds the contacts strangers take
// an hour. The join code is never limited by it.
func admitThroughSearch(ctx context.Context, tx store.Tx, c store.Campaign, userID string, now time.Time) (*searchRefusal, error) {
	limit := campaignfile.SearchJoins(c.SearchJoinsPerHour)
	n, first, err := tx.SearchJoinsSince(ctx, c.ID, now.Add(-searchJoinWindow))
	if err != nil {
		return nil, err
	}
	if n < limit {
		return nil, tx.AddSearchJoin(ctx, c.ID, userID, now)
	}
	// Logged once a window per account and campaign; the others counted.
	counted, err := tx.AddSearchJoinRefusal(ctx, c.ID, userID, now, now.Add(-searchJoinWindow))
	if err != nil {
		return nil, err
	}
	var wait time.Duration
	if limit > 0 {
		wait = max(first.Add(searchJoinWindow).Sub(now), time.Second)
	}
	return &searchRefusal{answer: searchJoinRefusal(c, limit, wait), wait: wait, counted: counted}, nil
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

// answerSearchJoinRefusal answers a refused join through search: 403
// join_code_needed, not 429 however often the account asks (the words
// say what lets them in, the code, and a try costs an update of the
// account's row, no row and no log line), with Retry-After when waiting
// for the hour helps, for a script that honours it. The server's log says
// it once a window per account and campaign (Log), for an organizer
// wondering why volunteers say they cannot join, with the account's
// refusals there so far: the unlogged ones are the difference.
func (s *Server) answerSearchJoinRefusal(w http.ResponseWriter, r *http.Request, c store.Campaign, userID string, refused *searchRefusal) error {
	if refused.wait > 0 {
		retryAfter(w, refused.wait)
	}
	if refused.counted.Log {
		s.refusals.Warn().Str("campaign", c.ID).Str("user", userID).Str("address", s.clientAddress(r)).
			Int("search_joins_per_hour", campaignfile.SearchJoins(c.SearchJoinsPerHour)).Int("refusals", refused.counted.Refusals).
			Str("code", refused.answer.body.Code).
			Msg("join through search refused: the campaign's search_joins_per_hour is reached (this account's further refusals here in the next hour are counted, not logged)")
	}
	return refused.answer
}

// isNewMember says whether userID is not yet a member of the campaign.
func isNewMember(ctx context.Context, tx store.Tx, campaignID, userID string) (bool, error) {
	_, err := tx.Membership(ctx, campaignID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	return false, err
}
