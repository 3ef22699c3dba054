package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// A token ends at whichever comes first:
//   - tokenIdle without use (Server.tokenIdle; tests shorten it): a laptop
//     put away for the season signs out by itself;
//   - tokenLifetime after its sign-in, however much it is used
//     (Server.tokenLifetime): a token copied off a machine (a backup, a
//     keyring export, malware long since removed) works for 90 days at
//     most, where before it worked for as long as anyone kept using it.
//
// 90 days: a campaign's busy stretch (the run-up to a vote, GOTV) lasts
// weeks, and a volunteer asked to sign in again in the middle of it is
// a volunteer lost for the evening; one sign-in a quarter costs little
// (the app keeps the inbox and the unsent changes, the email is filled
// in). NIST SP 800-63B suggests 30 days for AAL1 re-authentication;
// the idle limit already gives that to any sign-in not in steady use.
//
// Use is recorded at most every tokenTouchEvery, so that reads stay
// reads.
//
// The app's sign-in screen says both in words (SignIn.tsx: it cannot ask a
// server it is signed out of); TestSignInScreenSaysTheTokenLife holds it to
// these.
const (
	day             = 24 * time.Hour
	tokenIdle       = api.TokenIdle
	tokenLifetime   = 90 * day
	tokenTouchEvery = time.Hour
)

// The 401s of a token that is not (or no longer) valid: requests get them,
// and an event stream ends when its token would get one. Both ends of a
// lifetime share the code session_expired (the app shows sign-in with the
// email filled in either way); the words say which.
var (
	errTokenUnknown = &httpError{status: http.StatusUnauthorized, body: apiErr(api.CodeUnauthorized, "",
		"your session is not valid any more; sign in again")}
	errTokenExpired = &httpError{status: http.StatusUnauthorized, body: apiErr(api.CodeSessionExpired, "",
		"you have been signed out after %d days without use; sign in again", tokenIdle/day)}
	errTokenLifetimeOver = &httpError{status: http.StatusUnauthorized, body: apiErr(api.CodeSessionExpired, "",
		"you have been signed out: a sign-in lasts %d days at most; sign in again", tokenLifetime/day)}
)

// tokenEnd is when a token with these times ends, and the 401 a request
// gets from then on: the one home of the lifetime rules, for requests and
// event streams alike.
func (s *Server) tokenEnd(t store.TokenTimes) (time.Time, *httpError) {
	idleEnd := t.LastUsed.Add(s.tokenIdle)
	lifeEnd := t.CreatedAt.Add(s.tokenLifetime)
	if lifeEnd.Before(idleEnd) {
		return lifeEnd, errTokenLifetimeOver
	}
	return idleEnd, errTokenExpired
}

// tokenReader is a store that reads a token's user with one statement
// and no transaction of its own (both engines): every request asks, and a
// read transaction's BEGIN and COMMIT cost SQLite two more calls into C
// and PostgreSQL one more round trip.
type tokenReader interface {
	TokenUser(ctx context.Context, hash string) (store.User, store.TokenTimes, error)
}

// authenticate resolves a bearer token to its user: 401 unauthorized for a
// token the server does not know, 401 session_expired for one past its
// idle or absolute lifetime (which is deleted). The times come from the
// token cache when it holds them; the lifetimes are checked against them
// on every request all the same, so a cached token ends on time.
func (s *Server) authenticate(ctx context.Context, token string) (store.User, error) {
	hash := hashToken(token)
	u, times, err := s.tokenUser(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, errTokenUnknown
	}
	if err != nil {
		return store.User{}, fmt.Errorf("look up token: %w", err)
	}
	now := s.clock()
	if end, ended := s.tokenEnd(times); now.After(end) {
		if err := s.store.Update(ctx, func(tx store.Tx) error { return tx.DeleteToken(ctx, hash) }); err != nil && !errors.Is(err, store.ErrNotFound) {
			return store.User{}, fmt.Errorf("delete ended token: %w", err)
		}
		s.tokenChanged(hash)
		return store.User{}, ended
	}
	if now.Sub(times.LastUsed) > tokenTouchEvery {
		err := s.store.Update(ctx, func(tx store.Tx) error { return tx.TouchToken(ctx, hash, now) })
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return store.User{}, fmt.Errorf("record token use: %w", err)
		}
		s.tokens.touched(hash, now)
	}
	return u, nil
}

// tokenUser reads a token's user and times: from the token cache when the
// server keeps one, otherwise from the store.
func (s *Server) tokenUser(ctx context.Context, hash string) (store.User, store.TokenTimes, error) {
	e, ok, gen := s.tokens.get(hash, time.Now())
	if ok {
		return e.user, e.times, nil
	}
	u, times, err := s.storedToken(ctx, hash)
	if err == nil {
		s.tokens.put(hash, u, times, gen, time.Now())
	}
	return u, times, err
}

// storedToken reads a token's user and times from the store, never the
// cache.
func (s *Server) storedToken(ctx context.Context, hash string) (u store.User, times store.TokenTimes, err error) {
	if tr, ok := s.store.(tokenReader); ok {
		return tr.TokenUser(ctx, hash)
	}
	err = s.store.View(ctx, func(tx store.Tx) error {
		var err error
		u, times, err = tx.TokenUser(ctx, hash)
		return err
	})
	return u, times, err
}
