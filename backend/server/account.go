package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/account"
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// handleRename gives the account asking a new name (PATCH /api/v1/me): it
// goes into every text sent from then on. Texts the app rendered with the
// old name and has not sent yet are refused as script_changed, with the
// text the server would send instead.
func (s *Server) handleRename(w http.ResponseWriter, r *http.Request, u store.User) error {
	var req api.RenameRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	name := strings.TrimSpace(req.Name)
	if p := account.NameProblem(name); p != "" {
		return badField("name", "%s", p)
	}
	if err := s.update(r.Context(), func(tx store.Tx) error { return renameUser(r.Context(), tx, u.ID, name, s.clock()) }); err != nil {
		return err
	}
	// This server's cached sign-ins hold the old name; the others hear of
	// it (PostgreSQL: the tokens' trigger; SQLite: one server a file).
	s.tokens.forgetUser(u.ID)
	u.Name = name
	writeJSON(w, http.StatusOK, apiUser(u))
	return nil
}

// renameUser gives an account a new name and tells its computers in their
// sync feed (api.KindProfile): each renders its next texts with the new
// name instead of having one refused as script_changed to learn it.
func renameUser(ctx context.Context, tx store.Tx, userID, name string, now time.Time) error {
	if err := tx.RenameUser(ctx, userID, name); err != nil {
		return err
	}
	_, err := tx.AppendFeed(ctx, userID, api.KindProfile, userID, now)
	return err
}

// handlePasswordChange gives the account asking a new password (POST
// /api/v1/me/password), its current one checked as a sign-in checks it and
// counted with the sign-ins' wrong guesses; the account's other sign-ins
// end, the one asking stays.
func (s *Server) handlePasswordChange(w http.ResponseWriter, r *http.Request, u store.User) error {
	var req api.PasswordChangeRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.CurrentPassword == "" {
		return badField("currentPassword", "%s", account.CurrentPasswordMissing)
	}
	if err := validatePassword(req.NewPassword, u.Email); err != nil {
		var he *httpError
		if errors.As(err, &he) {
			he.body.Field = "newPassword"
		}
		return err
	}
	now := s.clock()
	keys := append([]string{"account:" + u.Email}, s.throttleKeys(r, "address:")...)
	g, wait, full := s.logins.begin(now, keys[:1], keys[1:]...)
	if wait > 0 {
		s.tooManySignIns(w, r, wait, full)
		return nil
	}
	defer g.release()
	// Read afresh: the cached sign-in may predate a change made elsewhere.
	if err := s.store.View(r.Context(), func(tx store.Tx) (err error) { u, err = tx.UserByID(r.Context(), u.ID); return err }); err != nil {
		return err
	}
	var wrong bool
	if !s.hash(w, r, func() {
		wrong = bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(req.CurrentPassword)) != nil
	}) {
		return nil
	}
	if wrong {
		g.fail(s.clock())
		return &httpError{status: http.StatusForbidden, body: apiErr(api.CodeBadCredentials, "currentPassword",
			"the current password is not right; the password was not changed")}
	}
	// Right, but guesses from the same address failed meanwhile: as a
	// sign-in, no answer that tells a right guess from a wrong one.
	if wait, ok := g.allowed(s.clock()); !ok {
		g.release()
		s.tooManySignIns(w, r, wait, false)
		return nil
	}
	var hash []byte
	var err error
	if !s.hash(w, r, func() { hash, err = bcrypt.GenerateFromPassword([]byte(req.NewPassword), s.cost) }) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	token, _ := bearer(r)
	var ended int
	// Only over the password checked: an organizer's reset while this
	// waited for its hash turns ended this sign-in too, and must not be
	// undone by a password chosen with the old one.
	if err := s.update(r.Context(), func(tx store.Tx) error {
		if err := tx.ReplacePasswordHash(r.Context(), u.ID, u.PasswordHash, string(hash)); err != nil {
			return err
		}
		ended, err = tx.DeleteUserTokens(r.Context(), u.ID, hashToken(token))
		return err
	}); errors.Is(err, store.ErrNotFound) {
		s.tokens.forgetUser(u.ID)
		return &httpError{status: http.StatusUnauthorized, body: apiErr(api.CodeUnauthorized, "",
			"your password was changed elsewhere meanwhile; sign in again with the new one")}
	} else if err != nil {
		return err
	}
	s.logins.clear(keys[0])
	// The sign-ins that ended are forgotten here and their event streams
	// closed: the account's cached sign-ins go (their hashes are not known
	// here), and each of its streams checks its token again; other
	// accounts' are untouched.
	s.tokens.forgetUser(u.ID)
	if ended > 0 {
		s.hub.recheckUser(u.ID)
	}
	writeJSON(w, http.StatusOK, api.PasswordChangeResponse{SignedOut: ended})
	return nil
}
