package server

import (
	"context"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// TokenCached says whether s answers token from its cache now (tests).
func (s *Server) TokenCached(token string) bool {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	_, ok := s.tokens.m[hashToken(token)]
	return ok && !s.tokens.off()
}

// TokensLive says whether s may cache tokens now: alone on its database,
// or hearing the other servers' token changes (tests).
func (s *Server) TokensLive() bool {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	return !s.tokens.off()
}

// Write runs fn through the group commit, as a request's write does
// (tests hold the writer with it).
func (s *Server) Write(ctx context.Context, fn func(store.Tx) error) error {
	return s.update(ctx, fn)
}

// WritesQueued is how many writes wait for the group being committed.
func (s *Server) WritesQueued() int {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return len(s.wqueue)
}

// SetTokenIdle makes tokens expire after d unused; call it before any
// request (tests).
func (s *Server) SetTokenIdle(d time.Duration) { s.tokenIdle = d }

// SetPushLimit replaces the per-user push limit (rate a second, burst at
// once); call it before any request (tests).
func (s *Server) SetPushLimit(rate, burst float64) {
	s.pushes.mu.Lock()
	defer s.pushes.mu.Unlock()
	s.pushes.rate, s.pushes.burst = rate, burst
}

// SetSyncPageBytes replaces api.SyncPageBytes, the size at which a sync
// page ends early (tests; 0 restores it).
func (s *Server) SetSyncPageBytes(n int) { s.syncPageBytes.Store(int64(n)) }

// SetTokenLifetime makes tokens end d after their sign-in however much
// they are used; call it before any request (tests).
func (s *Server) SetTokenLifetime(d time.Duration) { s.tokenLifetime = d }

// HoldHashTurns takes every turn of the password hashing gate, and makes a
// request wait at most wait for one, until release (tests of a busy server).
func (s *Server) HoldHashTurns(wait time.Duration) (release func()) {
	s.hashes.wait = wait
	for range cap(s.hashes.slots) {
		s.hashes.slots <- struct{}{}
	}
	return func() {
		for range cap(s.hashes.slots) {
			<-s.hashes.slots
		}
	}
}

// HashTurnWaiters is how many requests wait for a turn of the password
// hashing gate now.
func (s *Server) HashTurnWaiters() int { return int(s.hashes.waiting.Load()) }

// LoginFailures is how many failed sign-ins key ("account:EMAIL",
// "address:IP") has within the window now.
func (s *Server) LoginFailures(key string) int {
	s.logins.mu.Lock()
	defer s.logins.mu.Unlock()
	r := s.logins.prune(key, s.clock())
	if r == nil {
		return 0
	}
	return len(r.failures)
}

// SetHashWait makes a request wait at most d for its turn to hash a
// password (tests whose hashes are slow under the race detector).
func (s *Server) SetHashWait(d time.Duration) { s.hashes.wait = d }

// AccountsCreated is how many accounts this server counts as created from
// address (clientAddress's form) within the hour now, its own and those
// other servers announced.
func (s *Server) AccountsCreated(address string) int {
	s.accounts.mu.Lock()
	defer s.accounts.mu.Unlock()
	r := s.accounts.prune("created:"+address, s.clock())
	if r == nil {
		return 0
	}
	return len(r.failures)
}

// OptedOutBeforeSent is a queued text's error once its number opts out.
const OptedOutBeforeSent = optedOutBeforeSent

// OptOutOneByOne opts each number out through optOut, an import's opt-out
// each, one after another in tx (tests of the import's batches).
func OptOutOneByOne(ctx context.Context, tx store.Tx, orgID string, phones []string, reason string, now time.Time) error {
	for _, p := range phones {
		if err := optOut(ctx, tx, store.OptOut{OrganizationID: orgID, Phone: p, Reason: reason, Source: store.OptOutImported, CreatedAt: now}); err != nil {
			return err
		}
	}
	return nil
}

// OptOutMany is the import's optOutMany (tests).
func OptOutMany(ctx context.Context, tx store.Tx, orgID string, phones []string, reason string, now time.Time) error {
	outs := make([]store.PhoneAt, len(phones))
	for i, p := range phones {
		outs[i] = store.PhoneAt{Phone: p, At: now}
	}
	return optOutMany(ctx, tx, orgID, outs, reason, "", now)
}

// FeedWatched says whether s's feed watcher hears of other processes'
// writes now: it has read where the database stands, or its listener
// listens (tests).
func (s *Server) FeedWatched() bool { return s.watching.Load() }

// AdminStreams is how many open event streams hear of campaignID's Admin
// section changing (tests).
func (s *Server) AdminStreams(campaignID string) int {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return len(s.hub.campaigns[campaignID])
}

// ElsewhereWaits is how many times a lookup of s has found another server's
// text with the same words in flight and waited for it.
func (s *Server) ElsewhereWaits() int64 { return s.elsewhereWaits.Load() }

// MaxSyncsPerUser is the pulls and admin reads one user may have in flight
// (tests).
const MaxSyncsPerUser = maxSyncsPerUser

// HearLoginFailures records n failed sign-ins against key now, as another
// server's would be heard (tests).
func (s *Server) HearLoginFailures(key string, n int) {
	for range n {
		s.logins.heard([]string{key}, s.clock())
	}
}

// LoginsInFlight is how many guesses against key are being checked now.
func (s *Server) LoginsInFlight(key string) int {
	s.logins.mu.Lock()
	defer s.logins.mu.Unlock()
	if r := s.logins.keys[key]; r != nil {
		return r.inFlight
	}
	return 0
}

// MaxTokensPerUser is how many sign-ins an account keeps (tests).
const MaxTokensPerUser = maxTokensPerUser

// RunTokenPurges deletes ended tokens now and every every after, until ctx
// ends, as the server's background work does hourly (tests).
func (s *Server) RunTokenPurges(ctx context.Context, every time.Duration) {
	s.purgeEndedTokens(ctx, every)
}

// SetJoinCodeDraw makes join_code: generate draw its codes from draw
// (tests).
func (o *Organizer) SetJoinCodeDraw(draw func() (string, error)) { o.drawCode = draw }

// CatchUpRound runs one periodic catch-up round of interval every and logs
// it, as RunInboundCatchUp's ticker does (tests).
func (s *Server) CatchUpRound(ctx context.Context, l InboundLister, every time.Duration) (CatchUpResult, error) {
	res, err := s.catchUpAlone(ctx, l, every)
	s.catchUpDone(res, err, true)
	return res, err
}
