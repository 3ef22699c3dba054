package server

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

const (
	minPassword = 8
	// bcrypt ignores bytes past 72; refusing longer passwords keeps a user
	// from believing the tail of theirs matters.
	maxPassword = 72
	maxName     = 200
	maxEmail    = 254
)

// validEmail accepts a bare address with a dotted domain ("a@b.org"), not
// "Name <a@b.org>".
func validEmail(email string) bool {
	if len(email) > maxEmail {
		return false
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(email, "@")
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

func validateSignup(req *api.SignupRequest) error {
	req.Name = strings.TrimSpace(req.Name)
	req.Email = strings.ToLower(strings.TrimSpace(req.Email))
	switch {
	case req.Name == "":
		return badField("name", "name is required")
	case utf8.RuneCountInString(req.Name) > maxName:
		return badField("name", "name is longer than %d characters", maxName)
	case req.Email == "":
		return badField("email", "email is required")
	case !validEmail(req.Email):
		return badField("email", "%q is not a valid email address", req.Email)
	case utf8.RuneCountInString(req.Password) < minPassword:
		return badField("password", "password must be at least %d characters", minPassword)
	case len(req.Password) > maxPassword:
		return badField("password", "password must be at most %d bytes", maxPassword)
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
	hash, err := bcrypt.GenerateFromPassword([]byte(req.Password), s.cost)
	if err != nil {
		s.fail(w, r, fmt.Errorf("hash password: %w", err))
		return
	}
	now := s.clock()
	u := store.User{ID: uuid.NewString(), Name: req.Name, Email: req.Email, PasswordHash: string(hash), CreatedAt: now}
	token := newToken()
	err = s.update(r.Context(), func(tx store.Tx) error {
		if err := tx.CreateUser(r.Context(), u); err != nil {
			return err
		}
		return tx.CreateToken(r.Context(), hashToken(token), u.ID, now)
	})
	if errors.Is(err, store.ErrEmailTaken) {
		s.fail(w, r, &httpError{status: http.StatusConflict, body: apiErr(api.CodeEmailTaken, "email",
			"an account with email %s already exists; sign in instead", req.Email)})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info().Str("user", u.ID).Msg("user signed up")
	writeJSON(w, http.StatusCreated, api.AuthResponse{Token: token, User: apiUser(u)})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req api.LoginRequest
	if err := decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	req.Email = strings.ToLower(strings.TrimSpace(req.Email))
	if req.Email == "" {
		s.fail(w, r, badField("email", "email is required"))
		return
	}
	if req.Password == "" {
		s.fail(w, r, badField("password", "password is required"))
		return
	}
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
	if bcrypt.CompareHashAndPassword(hash, []byte(req.Password)) != nil || u.ID == "" {
		s.fail(w, r, &httpError{status: http.StatusUnauthorized, body: apiErr(api.CodeBadCredentials, "",
			"wrong email or password")})
		return
	}
	token := newToken()
	if err := s.update(r.Context(), func(tx store.Tx) error {
		return tx.CreateToken(r.Context(), hashToken(token), u.ID, s.clock())
	}); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, api.AuthResponse{Token: token, User: apiUser(u)})
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
