package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ErrUnreachable marks every failure to talk to the server at all (refused
// connection, DNS, reset, timeout), as opposed to the server answering with
// an error. The app treats it as "offline", which is normal, not a fault.
var ErrUnreachable = errors.New("campaign server unreachable")

// ErrGarbled marks a success answer whose body is not what the API sends
// (a Wi-Fi sign-in page answering 200 in the server's place, a proxy's
// HTML, a server of another version): the server, or something posing as
// it, answered, but nothing in it can be used. Not offline, and no fault of
// this computer's data either.
var ErrGarbled = errors.New("campaign server answer not readable")

// garbledError keeps what was asked and the decoder's detail for the log.
type garbledError struct {
	method, path string
	cause        error
}

func (e *garbledError) Error() string {
	return fmt.Sprintf("decode %s %s answer: %v", e.method, e.path, e.cause)
}
func (e *garbledError) Is(target error) bool { return target == ErrGarbled }
func (e *garbledError) Unwrap() error        { return e.cause }

// APIError is a non-2xx answer from the server. Error() is the server's own
// message, so the UI can show it as it is.
type APIError struct {
	Status int
	Err    Error
	// RetryAfter is the answer's Retry-After (a 429 or 503), in seconds or
	// as a date, 0 when it had none: how long to wait before asking again.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	if e.Err.Message != "" {
		return e.Err.Message
	}
	return fmt.Sprintf("campaign server answered %d %s", e.Status, http.StatusText(e.Status))
}

// ErrServerBusy matches an APIError that says the server is too busy to
// take the request now (503 server_busy: at its connection cap, or with too
// many sign-ins waiting), as opposed to down: the app says so in those
// words and asks again after Retry-After, as for an unreachable server.
var ErrServerBusy = errors.New("campaign server busy")

// Is makes errors.Is(err, ErrServerBusy) true for a 503 server_busy.
func (e *APIError) Is(target error) bool {
	return target == ErrServerBusy && e.Status == http.StatusServiceUnavailable && e.Err.Code == CodeServerBusy
}

// IsCode reports whether err is an APIError with the given error code.
func IsCode(err error, code string) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Err.Code == code
}

// unreachableError keeps the underlying cause (for logs) while matching
// ErrUnreachable and naming the server, which is what the volunteer needs.
type unreachableError struct {
	url   string
	cause error
}

func (e *unreachableError) Error() string {
	return fmt.Sprintf("cannot reach the campaign server at %s: %v", e.url, e.cause)
}
func (e *unreachableError) Is(target error) bool { return target == ErrUnreachable }
func (e *unreachableError) Unwrap() error        { return e.cause }

// RefusedError is what an http.Client that will not contact the server (the
// app's answer to a plain http:// address to another computer) returns: the
// sentence saying what to do. send passes it on as it is, since "cannot
// reach the campaign server at …" around it would send the volunteer
// looking at their Wi-Fi, and the window turns that prefix into exactly
// those words. It still counts as unreachable, so sync reports offline and
// keeps the outbox.
type RefusedError struct{ Why string }

func (e *RefusedError) Error() string        { return e.Why }
func (e *RefusedError) Is(target error) bool { return target == ErrUnreachable }

// unwrapURLError drops *url.Error's "Get "http://...":" prefix, since the
// message already names the server.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// maxErrorBody bounds how much of an error answer is read: a proxy's HTML
// page is not worth more.
const maxErrorBody = 64 << 10

func decodeError(resp *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	apiErr := &APIError{Status: resp.StatusCode, RetryAfter: retryAfterHeader(resp.Header.Get("Retry-After"), time.Now())}
	var eb ErrorBody
	if err := json.Unmarshal(raw, &eb); err == nil && eb.Error.Message != "" {
		apiErr.Err = eb.Error
		return apiErr
	}
	// Not our server's JSON (a proxy, a crash page): keep a short, readable
	// message rather than dumping HTML into the UI.
	apiErr.Err = Error{
		Code:    codeForStatus(resp.StatusCode),
		Message: fmt.Sprintf("campaign server answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode)),
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		// Our server always says why; a proxy's bare 429 is a request
		// rate limit, said in the push limit's words (nothing is lost, try
		// again later), never as failed sign-in attempts.
		wait := "a few minutes"
		if apiErr.RetryAfter > 0 {
			wait = WaitWords(int((apiErr.RetryAfter + time.Second - 1) / time.Second))
		}
		apiErr.Err.Message = "the campaign server asked Textbank to slow down; try again in " + wait
	}
	return apiErr
}

// retryAfterHeader reads a Retry-After in either form HTTP allows, seconds
// or a date (what some proxies send), as the wait from now; 0 when absent,
// unreadable or already past.
func retryAfterHeader(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if secs, err := strconv.Atoi(v); err == nil {
		return time.Duration(max(secs, 0)) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil && at.After(now) {
		return at.Sub(now)
	}
	return 0
}

// WaitWords says a wait of secs seconds as a volunteer reads it ("1
// second", "40 seconds", "2 minutes", rounded up); the server's 429s and
// the app's reading of a bare one share it.
func WaitWords(secs int) string {
	switch {
	case secs == 1:
		return "1 second"
	case secs < 60:
		return fmt.Sprintf("%d seconds", secs)
	case secs <= 60:
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", (secs+59)/60)
}

func codeForStatus(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return CodeUnauthorized
	case status == http.StatusForbidden:
		return CodeForbidden
	case status == http.StatusNotFound:
		return CodeNotFound
	case status == http.StatusTooManyRequests:
		// A bare 429 is a proxy's (ours always says which limit): that is
		// "slow down", not the sign-in throttle, whose words the app would
		// read as failed attempts.
		return CodeTooManyRequests
	case status >= 500:
		return CodeInternal
	default:
		return CodeBadRequest
	}
}
