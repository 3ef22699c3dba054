package server

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

func validateSignup(req *api.SignupRequest) error {
	if err := validateNameAndEmail(req); err != nil {
		return err
	}
	return validatePassword(req.Password, req.Email)
}

// validateNameAndEmail is validateSignup without the password: textbankd
// users add checks it before asking for one.
func validateNameAndEmail(req *api.SignupRequest) error {
	req.Name = strings.TrimSpace(req.Name)
	req.Email = account.NormalEmail(req.Email)
	if p := account.NameProblem(req.Name); p != "" {
		return badField("name", "%s", p)
	}
	if p := account.EmailProblem(req.Email); p != "" {
		return badField("email", "%s", p)
	}
	return nil
}

// validatePassword holds a new password to the sign-up's rules: signing
// up, and an organizer setting a new one (Organizer.SetPassword).
func validatePassword(password, email string) error {
	if p := account.PasswordLengthProblem(password); p != "" {
		return badField("password", "%s", p)
	}
	if problem := passwordProblem(password, email); problem != "" {
		return badField("password", "%s", problem)
	}
	return nil
}

func (s *Server) handleSignup(w http.ResponseWriter, r *http.Request) {
	var req api.SignupRequest
	if err := decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := validateSignup(&req); err != nil {
		s.fail(w, r, err)
		return
	}
	// "An account with this email already exists" tells whether an email
	// has an account, so those answers are throttled per address as wrong
	// passwords are (under a key of their own: they do not hold back
	// signing in). Sign-ups that create an account are counted apart, per
	// address within the hour (signuplimit.go).
	now := s.clock()
	keys := s.throttleKeys(r, "signup:")
	g, wait, _ := s.logins.begin(now, nil, keys...)
	if wait > 0 {
		s.tooManySignUps(w, r, wait)
		return
	}
	defer g.release()
	acct := s.beginAccount(w, r)
	if acct == nil {
		return
	}
	defer acct.release() // unless created
	var hash []byte
	var err error
	if !s.hash(w, r, func() { hash, err = bcrypt.GenerateFromPassword([]byte(req.Password), s.cost) }) {
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("hash password: %w", err))
		return
	}
	u := store.User{ID: uuid.NewString(), Name: req.Name, Email: req.Email, PasswordHash: string(hash), CreatedAt: now}
	token := newToken()
	err = s.update(r.Context(), func(tx store.Tx) error {
		if err := tx.CreateUser(r.Context(), u); err != nil {
			return err
		}
		return tx.CreateToken(r.Context(), hashToken(token), u.ID, now)
	})
	if errors.Is(err, store.ErrEmailTaken) {
		// Sign-ups sent at once all pass the check before any is found
		// taken: those past the limit are not told either.
		failed := s.clock()
		g.fail(failed)
		if wait, over := s.logins.over(failed, keys...); over {
			s.tooManySignUps(w, r, wait)
			return
		}
		s.fail(w, r, &httpError{status: http.StatusConflict, body: apiErr(api.CodeEmailTaken, "email",
			"an account with email %s already exists; sign in instead", req.Email)})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acct.created(now)
	s.log.Info().Str("user", u.ID).Msg("user signed up")
	writeJSON(w, http.StatusCreated, api.AuthResponse{Token: token, User: apiUser(u)})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req api.LoginRequest
	if err := decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	req.Email = account.NormalEmail(req.Email)
	// Only what is missing is refused in words (the account rules'); a
	// malformed email is a wrong email like any other (401 below), so that
	// sign-in tells nobody which addresses could hold an account.
	if req.Email == "" {
		s.fail(w, r, badField("email", "%s", account.EmailProblem(req.Email)))
		return
	}
	if req.Password == "" {
		s.fail(w, r, badField("password", "%s", account.PasswordMissing))
		return
	}
	now := s.clock()
	keys := append([]string{"account:" + req.Email}, s.throttleKeys(r, "address:")...)
	// Reserved against the account before the password is checked, so that
	// guesses sent at once all count: at most guessMax are checked per
	// account. The address counts failures only: many volunteers may sign
	// in at once from one office or proxy (guesslimit.go).
	g, wait, full := s.logins.begin(now, keys[:1], keys[1:]...)
	if wait > 0 {
		s.tooManySignIns(w, r, wait, full)
		return
	}
	defer g.release() // unless it failed: a store error is no guess
	var u store.User
	err := s.store.View(r.Context(), func(tx store.Tx) error {
		var err error
		u, err = tx.UserByEmail(r.Context(), req.Email)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	hash := []byte(u.PasswordHash)
	if u.ID == "" {
		hash = s.dummyHash
	}
	var wrong bool
	if !s.hash(w, r, func() { wrong = bcrypt.CompareHashAndPassword(hash, []byte(req.Password)) != nil }) {
		return // not a guess: released
	}
	if wrong || u.ID == "" {
		g.fail(s.clock())
		s.fail(w, r, &httpError{status: http.StatusUnauthorized, body: apiErr(api.CodeBadCredentials, "",
			"wrong email or password")})
		return
	}
	// Right, but guesses from the same address failed meanwhile: no answer
	// that tells a right guess from a wrong one.
	if wait, ok := g.allowed(s.clock()); !ok {
		g.release()
		s.tooManySignIns(w, r, wait, false)
		return
	}
	g.release()
	s.logins.clear(keys[0])
	token := newToken()
	var trimmed []string
	// Only if the password checked is still the account's: a change (the
	// owner's, or an organizer's reset) while this sign-in waited for its
	// hash turn ended every sign-in, and must end this one too.
	if err := s.update(r.Context(), func(tx store.Tx) error {
		if err := tx.CreateLoginToken(r.Context(), hashToken(token), u.ID, u.PasswordHash, now); err != nil {
			return err
		}
		var err error
		trimmed, err = tx.TrimUserTokens(r.Context(), u.ID, maxTokensPerUser, hashToken(token))
		return err
	}); errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, &httpError{status: http.StatusUnauthorized, body: apiErr(api.CodeBadCredentials, "",
			"wrong email or password")})
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(trimmed) > 0 {
		for _, h := range trimmed {
			s.tokenChanged(h)
		}
		s.log.Info().Str("user", u.ID).Int("ended", len(trimmed)).Int("max", maxTokensPerUser).
			Msg("sign-in: the account's least recently used sign-ins past the limit were ended")
	}
	writeJSON(w, http.StatusOK, api.AuthResponse{Token: token, User: apiUser(u)})
}

// maxTokensPerUser bounds the sign-ins (token rows) one account keeps.
// Every sign-in adds a row, which a sign-out deletes, and otherwise only
// its end (30 days unused; purgeEndedTokens): a script signing in over and
// over with one account's password grew the tokens table with sign-ins,
// not with people. A volunteer uses a few computers, and a
// campaign office might share one account among a room of them; past this
// many, a sign-in ends the account's least recently used ones. A token's
// use is recorded at most hourly (tokenTouchEvery), so among sign-ins of
// the last hour it is the oldest that go: the cap is well above a room.
const maxTokensPerUser = 200

// handleLogout revokes the token the request carries; other devices stay
// signed in.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, u store.User) error {
	token, _ := bearer(r)
	hash := hashToken(token)
	// Forgotten whatever the delete says: forgetting is always safe. Its
	// event streams end too (tokenChanged). Through the group commit, so
	// that the answer waits for the disk (answerDurable): a power cut
	// after it must not bring the session back.
	defer s.tokenChanged(hash)
	err := s.update(r.Context(), func(tx store.Tx) error { return tx.DeleteToken(r.Context(), hash) })
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// tooManySignIns answers a login past the throttle: 429 with Retry-After.
func (s *Server) tooManySignIns(w http.ResponseWriter, r *http.Request, wait time.Duration, full bool) {
	secs := retryAfter(w, wait)
	if full {
		s.refusals.Warn().Str("address", s.clientAddress(r)).Msg("login refused: the throttle's table is full")
	} else {
		s.refusals.Warn().Str("address", s.clientAddress(r)).Msg("login throttled after repeated failures")
	}
	s.fail(w, r, &httpError{status: http.StatusTooManyRequests, body: apiErr(api.CodeTooManyAttempts, "",
		"too many failed sign-ins; try again in %s", api.WaitWords(secs))})
}

// tooManySignUps answers a sign-up from an address past the throttle of
// taken emails: 429 with Retry-After.
func (s *Server) tooManySignUps(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := retryAfter(w, wait)
	s.refusals.Warn().Str("address", s.clientAddress(r)).Msg("sign-up throttled after repeated taken emails")
	s.fail(w, r, &httpError{status: http.StatusTooManyRequests, body: apiErr(api.CodeTooManyAttempts, "",
		"too many sign-ups with emails that already have accounts; try again in %s", api.WaitWords(secs))})
}

// retryAfter sets the Retry-After header to wait in whole seconds, rounded
// up, and returns them.
func retryAfter(w http.ResponseWriter, wait time.Duration) int {
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return secs
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, u store.User) error {
	writeJSON(w, http.StatusOK, apiUser(u))
	return nil
}

func apiUser(u store.User) api.User {
	return api.User{ID: u.ID, Name: u.Name, Email: u.Email}
}

// newToken is 32 random bytes, base64url; only its SHA-256 is stored.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
