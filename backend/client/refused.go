package client

import (
	"errors"
	"net/http"

	"github.com/textbank/textbank/backend/api"
)

// refusingHTTPClient answers every request with why, without a byte on the
// network: the client for a server address the app will not use (plain
// http:// to another computer, Config.Refused). The session, cache and
// outbox stay, and every path to the server (sync, sign-in, Text Again)
// meets the same refusal, so none can send the token or a conversation in
// the clear.
//
// Its error is an api.RefusedError, which the API client passes on as the
// sentence alone, so Join, Text Again, a campaign search and the rest show
// what to do, not "cannot reach the campaign server".
func refusingHTTPClient(why string) *http.Client {
	return &http.Client{Transport: refusingTransport{&api.RefusedError{Why: why}}}
}

type refusingTransport struct{ why error }

func (t refusingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close() // a RoundTripper must close the body, even on error
	}
	return nil, t.why
}

// refusedKept follows the refusal while someone is signed in. Only then:
// the sign-in screen shows the refusal too, after a Sign out that deleted
// the inbox and discarded the unsent changes.
const refusedKept = "Your inbox and unsent changes are kept."

// refusedProblem makes the refusal the status's problem: it is what the
// volunteer must act on, where "can't reach the server" (what the sync
// engine sees) would send them looking at their Wi-Fi.
func refusedProblem(s *Status) {
	if s.ServerRefused == "" {
		return
	}
	s.Problem = s.ServerRefused
	if s.SignedIn {
		s.Problem += " " + refusedKept
	}
}

// refusedErr is the error of a call the volunteer makes (sign in, sign up)
// while the address is refused: the sentence itself, not a transport
// error around it.
func (c *Client) refusedErr() error {
	if c.cfg.Refused == "" {
		return nil
	}
	return userError(c.cfg.Refused)
}

// refusal is the refused address's sentence if err carries it, else nil:
// the calls that put their own words around an unreachable server
// ("You're offline", "cannot reach …") say the sentence alone instead,
// since going online would change nothing.
func refusal(err error) error {
	var r *api.RefusedError
	if errors.As(err, &r) {
		return r
	}
	return nil
}
