package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/nulchar"
	"github.com/textbank/textbank/backend/server/store"
)

// httpError is an answer a handler chose: status plus the api.Error body.
type httpError struct {
	status int
	body   api.Error
}

func (e *httpError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.status, e.body.Code, e.body.Message)
}

func apiErr(code, field, format string, args ...any) api.Error {
	return api.Error{Code: code, Message: fmt.Sprintf(format, args...), Field: field}
}

func badField(field, format string, args ...any) *httpError {
	return &httpError{status: http.StatusBadRequest, body: apiErr(api.CodeInvalidField, field, format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeJSONBytes answers body, JSON already encoded, as writeJSON would
// (its Encoder ends the body with a newline).
func writeJSONBytes(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

func writeError(w http.ResponseWriter, e *httpError) {
	writeJSON(w, e.status, api.ErrorBody{Error: e.body})
}

// fail answers err: an httpError as it is, anything else as a logged 500
// that tells the client nothing about internals.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var he *httpError
	if errors.As(err, &he) {
		writeError(w, he)
		return
	}
	s.log.Error().Err(err).Str("method", r.Method).Str("path", r.URL.Path).Msg("request failed")
	writeError(w, &httpError{status: http.StatusInternalServerError, body: apiErr(api.CodeInternal, "",
		"the server failed to handle %s %s; try again", r.Method, r.URL.Path)})
}

// maxBody bounds a request body (api.MaxRequestBody, which the app's
// pushes fit).
const maxBody = api.MaxRequestBody

// decode reads a JSON request body into v and refuses one whose text
// holds a NUL, naming the field (nulinput.go).
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if err := decodeBody(w, r, v); err != nil {
		return err
	}
	if path, ok := nulchar.Path(v); ok {
		return nulField(path)
	}
	return nil
}

// decodeBody is decode without the NUL check, for a body that refuses
// its NULs part by part (a push of mutations: refuseNULMutations).
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return &httpError{status: http.StatusRequestEntityTooLarge, body: apiErr(api.CodeBadRequest, "",
				"request body is larger than %d bytes", maxBody)}
		case errors.Is(err, io.EOF):
			return &httpError{status: http.StatusBadRequest, body: apiErr(api.CodeBadRequest, "",
				"request body is empty; send a JSON object")}
		}
		if refusal := decodeRefusal(err); refusal != nil {
			return refusal
		}
		return &httpError{status: http.StatusBadRequest, body: apiErr(api.CodeBadRequest, "",
			"request body is not valid JSON: %s", syntaxWords(err))}
	}
	// One value and nothing after it: a body with more is not what its
	// sender meant, whatever the first value says.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &httpError{status: http.StatusBadRequest, body: apiErr(api.CodeBadRequest, "",
			"request body has data after its JSON value; send one JSON object")}
	}
	return nil
}

// authedHandler is a handler that runs for a signed-in user.
type authedHandler func(w http.ResponseWriter, r *http.Request, u store.User) error

// authed resolves the bearer token to its user, answering 401 otherwise.
func (s *Server) authed(h authedHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r)
		if !ok {
			writeError(w, &httpError{status: http.StatusUnauthorized, body: apiErr(api.CodeUnauthorized, "",
				"sign in first: this request needs an Authorization: Bearer token")})
			return
		}
		u, err := s.authenticate(r.Context(), token)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := h(w, r, u); err != nil {
			s.fail(w, r, err)
		}
	}
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// statusRecorder keeps the status for the request log; Unwrap lets
// http.ResponseController reach Flush on the real writer for SSE.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logRequests logs every request at debug (method, path, status, duration;
// never headers or bodies, which carry tokens and passwords).
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		ev := s.log.Debug()
		if status >= 500 {
			ev = s.log.Error()
		}
		ev.Str("method", r.Method).Str("path", r.URL.Path).Int("status", status).
			Dur("duration", time.Since(start)).Msg("request")
	})
}
