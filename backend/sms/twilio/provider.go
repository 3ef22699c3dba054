// Package twilio is the Twilio SMS provider: sending and looking up texts
// through Twilio's REST API with the twilio-go client, and the webhooks
// Twilio calls for inbound texts and delivery statuses, each verified by
// its X-Twilio-Signature.
package twilio

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	tclient "github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/textbank/textbank/backend/sms"
)

// DefaultAPIURL is Twilio's REST API.
const DefaultAPIURL = "https://api.twilio.com"

// Config configures the provider.
type Config struct {
	AccountSID string // AC...
	AuthToken  string // a secret: never logged
	// PublicURL is where Twilio reaches this server, e.g.
	// https://texts.example.org; status callbacks go to
	// PublicURL + StatusPath.
	PublicURL string
	// APIURL replaces DefaultAPIURL (a local stand-in in tests, or a
	// Twilio-compatible gateway).
	APIURL string
	// Timeout bounds one REST call; 15s if zero.
	Timeout time.Duration
}

// Webhook paths, under PublicURL.
const (
	InboundPath = "/webhooks/twilio/inbound"
	StatusPath  = "/webhooks/twilio/status"
)

// Provider sends through Twilio. Safe for concurrent use.
type Provider struct {
	// apiWith is Twilio's API sending through rt (nil:
	// http.DefaultTransport, whose connections every call shares).
	apiWith  func(rt http.RoundTripper) *openapi.ApiService
	callback string
	sid      string // the account's SID, which CheckAccount fetches
	base     string // the API's URL, before a picture's path
	// hide takes the public URL's password out of Twilio's error texts
	// (hidePassword).
	hide *strings.Replacer
}

var _ sms.Provider = (*Provider)(nil)

// New checks cfg and builds the provider.
func New(cfg Config) (*Provider, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	apiURL := cfg.APIURL
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	if _, err := url.ParseRequestURI(apiURL); err != nil {
		// url.Error repeats the URL whole: its reason alone, after the
		// URL shown without a password.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("twilio API URL %q: %w", ShownURL(apiURL), err)
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	base := strings.TrimRight(apiURL, "/")
	apiWith := func(rt http.RoundTripper) *openapi.ApiService {
		c := &tclient.Client{
			Credentials: tclient.NewCredentials(cfg.AccountSID, cfg.AuthToken),
			HTTPClient: &http.Client{Timeout: timeout, Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			}},
		}
		c.SetAccountSid(cfg.AccountSID)
		return openapi.NewApiServiceWithClient(&rebased{Client: c, base: base})
	}
	return &Provider{
		apiWith:  apiWith,
		callback: strings.TrimRight(cfg.PublicURL, "/") + StatusPath,
		sid:      cfg.AccountSID,
		base:     base,
		hide:     hidePassword(cfg.PublicURL),
	}, nil
}

// MinPublicURLPassword is the shortest password the public URL may carry
// (https://user:password@host, for a proxy's basic authentication). A
// short one is easily guessed from outside; and the password is hidden on
// its own wherever it appears in Twilio's error texts, which for a word of
// a few letters would blank out ordinary letters of Twilio's words and,
// not hidden, would leave it readable beside the URL that hides it.
const MinPublicURLPassword = 8

// hidePassword replaces, in an error text of Twilio's, the public URL's
// password (https://user:password@host, for a proxy's basic
// authentication), which every create sends Twilio in its StatusCallback:
// Twilio's message about a refused create may repeat the parameters it was
// given, and that message is logged and kept on the failed text, where
// volunteers and admins read it. The URL becomes its ShownURL form; the
// password alone, or as a form or a URL escapes it, becomes "xxxxx". A URL
// without a password changes nothing.
func hidePassword(publicURL string) *strings.Replacer {
	u, err := url.Parse(publicURL)
	if err != nil {
		return strings.NewReplacer()
	}
	pw, has := u.User.Password()
	if !has || pw == "" {
		return strings.NewReplacer()
	}
	// Longest first: a URL is replaced whole, as ShownURL shows it, before
	// its password alone would be.
	base := strings.TrimRight(publicURL, "/")
	pairs := []string{base, strings.TrimRight(ShownURL(publicURL), "/"), u.User.String(), url.UserPassword(u.User.Username(), "xxxxx").String()}
	// The password as the URL writes it (escaped) and as given, each also
	// as a form or a path escapes it: an error text may repeat the
	// callback URL whole, escaped once more. (check refuses a password
	// shorter than MinPublicURLPassword, so this never blanks out a
	// common word.)
	_, written, _ := strings.Cut(u.User.String(), ":")
	var forms []string
	for _, p := range []string{pw, written} {
		forms = append(forms, p, url.QueryEscape(p), url.PathEscape(p))
	}
	slices.SortFunc(forms, func(a, b string) int {
		if d := len(b) - len(a); d != 0 {
			return d
		}
		return strings.Compare(a, b) // equal forms side by side, for Compact
	})
	for _, form := range slices.Compact(forms) {
		pairs = append(pairs, form, "xxxxx")
	}
	return strings.NewReplacer(pairs...)
}

// ctxTransport sends every request under ctx: twilio-go takes no context,
// so this is how a call is cancelled.
type ctxTransport struct {
	ctx context.Context
}

func (t ctxTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return http.DefaultTransport.RoundTrip(req.WithContext(t.ctx))
}

// PlainHTTPWhy says why a plain http public URL is refused, and what to
// give instead.
const PlainHTTPWhy = "Twilio calls the webhooks at the https address of the reverse proxy and signs the URL it called, " +
	"so with an http public URL every webhook is refused (403); give that https address, e.g. https://texts.example.org " +
	"(plain http is accepted only on a loopback address with a local stand-in of Twilio's API, for tests)"

// LoopbackHTTP reports whether the public URL is plain http on a loopback
// address (127.0.0.0/8, ::1, localhost) with an API URL that is not
// Twilio's: a local stand-in, which calls the webhooks itself and signs
// them for that URL (the load driver's, tests'). It is the one plain http
// public URL New accepts: Twilio itself reaches no loopback address, and
// behind a proxy it signs the https URL it called, never the http one.
func (cfg Config) LoopbackHTTP() bool {
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || u.Scheme != "http" {
		return false
	}
	api := strings.TrimRight(cfg.APIURL, "/")
	if api == "" || strings.EqualFold(api, DefaultAPIURL) {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ShownURL is a URL as messages and logs may show it: a password in its
// user part is replaced (Twilio calls https://user:password@host with
// HTTP basic authentication, so a public URL may hold one). A URL that
// does not parse is shown only if it has no user part.
func ShownURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if strings.Contains(raw, "@") {
			return "(a URL with a user part that does not parse; not shown, as it may hold a password)"
		}
		return raw
	}
	if _, has := u.User.Password(); has {
		return u.Redacted()
	}
	return raw // as the operator wrote it
}

func (cfg Config) check() error {
	var problems []string
	if !strings.HasPrefix(cfg.AccountSID, "AC") || len(cfg.AccountSID) != 34 || !hexDigits(cfg.AccountSID[2:]) {
		// The SID is no secret: showing it tells a typo from a placeholder.
		problems = append(problems, fmt.Sprintf("the account SID %q must be AC followed by 32 hexadecimal digits, as the Twilio Console shows it (Account Info)", cfg.AccountSID))
	}
	if len(cfg.AuthToken) < 16 || !alnum(cfg.AuthToken) {
		problems = append(problems, "the auth token must be the 32 letters and digits Twilio shows")
	}
	if u, err := url.Parse(cfg.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		problems = append(problems, fmt.Sprintf("the public URL %q must be the https://host Twilio reaches this server at, e.g. https://texts.example.org", ShownURL(cfg.PublicURL)))
	} else if u.Scheme == "http" && !cfg.LoopbackHTTP() {
		problems = append(problems, fmt.Sprintf("the public URL %q must be https: %s", ShownURL(cfg.PublicURL), PlainHTTPWhy))
	} else if pw, has := u.User.Password(); has && len(pw) < MinPublicURLPassword {
		// The user part is a proxy's basic authentication in front of
		// this server's webhooks.
		problems = append(problems, fmt.Sprintf("the public URL's password (%s) must be at least %d characters: a shorter one is easily guessed", ShownURL(cfg.PublicURL), MinPublicURLPassword))
	} else if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(cfg.PublicURL, "#") {
		// Webhook URLs are the public URL followed by their path; Twilio
		// signs the URL it calls, so a query here never matches.
		problems = append(problems, fmt.Sprintf("the public URL %q must have no query or fragment (?, #): the webhooks' paths follow it", ShownURL(cfg.PublicURL)))
	}
	if len(problems) > 0 {
		return errors.New("twilio: " + strings.Join(problems, "; "))
	}
	return nil
}

func alnum(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func hexDigits(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// rebased sends twilio-go's requests to another base URL.
type rebased struct {
	*tclient.Client
	base string
}

func (r *rebased) SendRequest(method, rawURL string, data url.Values, headers map[string]interface{}, body ...byte) (*http.Response, error) {
	return r.Client.SendRequest(method, r.base+strings.TrimPrefix(rawURL, DefaultAPIURL), data, headers, body...)
}

// Send creates the message at Twilio. Twilio has no idempotent create, so
// the dispatcher records "sending" first and looks a silent call up before
// trying again.
func (p *Provider) Send(ctx context.Context, m sms.Outbound) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", &sms.Error{Message: err.Error(), Retry: true}
	}
	params := &openapi.CreateMessageParams{}
	params.SetTo(m.To).SetFrom(m.From).SetBody(m.Body).SetStatusCallback(p.callback)
	// Under ctx: a call the dispatcher gives up on (its claim on the text
	// ended, or it waited long enough) stops here, unsure, and the text is
	// looked up before any resend.
	msg, err := p.apiWith(ctxTransport{ctx}).CreateMessage(params)
	if err != nil {
		if ctx.Err() != nil {
			return "", &sms.Error{Message: "no answer from Twilio before the call was given up: " + ctx.Err().Error(), Unsure: true}
		}
		return "", classify(err, p.hide)
	}
	if msg.Sid == nil || *msg.Sid == "" {
		return "", &sms.Error{Message: "Twilio accepted the text but named no message SID", Unsure: true}
	}
	return *msg.Sid, nil
}

// Lookup lists Twilio's messages from m.From to m.To created at or after
// since whose body is m.Body. It filters by creation time itself: Twilio's
// DateSent filter skips texts Twilio has accepted but not yet sent, which
// are exactly the ones a crash leaves in doubt.
func (p *Provider) Lookup(ctx context.Context, m sms.Outbound, since time.Time) ([]sms.Sent, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	params := &openapi.ListMessageParams{}
	params.SetTo(m.To).SetFrom(m.From).SetPageSize(100).SetLimit(200)
	msgs, err := p.apiWith(ctxTransport{ctx}).ListMessage(params)
	if err != nil {
		return nil, fmt.Errorf("twilio: look the text up: %w", classify(err, p.hide))
	}
	var out []sms.Sent
	for _, tm := range msgs {
		if tm.Sid == nil || tm.Body == nil || *tm.Body != m.Body {
			continue
		}
		if tm.DateCreated != nil {
			if at, err := time.Parse(time.RFC1123Z, *tm.DateCreated); err == nil && at.Before(since) {
				continue
			}
		}
		st := sms.StatusSent
		if tm.Status != nil {
			if s, ok := mapStatus(*tm.Status); ok {
				st = s
			}
		}
		out = append(out, sms.Sent{ProviderID: *tm.Sid, Status: st})
	}
	return out, nil
}

// classify turns a twilio-go error into an sms.Error: 429 is safe to retry
// (Twilio did nothing); a 5xx or a call that got no answer may have created
// the message, so it is looked up first; anything else is final, with
// Twilio's code and message. It is where Twilio's errors leave this
// package (logged, and kept on the text for volunteers and admins to
// read), so hide takes the public URL's password out of the words.
func classify(err error, hide *strings.Replacer) error {
	var te *tclient.TwilioRestError
	if errors.As(err, &te) {
		code := ""
		if te.Code != 0 {
			code = strconv.Itoa(te.Code)
		}
		e := &sms.Error{Code: code, Message: hide.Replace(te.Message)}
		if e.Message == "" {
			e.Message = http.StatusText(te.Status)
		}
		switch {
		case te.Status == http.StatusUnauthorized || te.Code == 20003:
			// Read on the failed text by volunteers and admins: it is the
			// server's configuration, not their sign-in.
			e.Message = "Twilio refused this server's account SID and auth token (" + e.Message +
				"): its operator checks --twilio-account-sid and the auth token, and restarts textbankd serve"
		case te.Status == http.StatusTooManyRequests:
			e.Retry = true
		case te.Status >= 500:
			e.Unsure = true
		}
		return e
	}
	// The transport's words without its request URL, which names the
	// account and, for a lookup, both phone numbers: the error is logged
	// and kept on the text for volunteers to read.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &sms.Error{Message: "no answer from Twilio: " + hide.Replace(err.Error()), Unsure: true}
}

// mapStatus maps Twilio's message statuses onto ours; ok is false for the
// steps before sent (accepted, queued, sending), which change nothing.
func mapStatus(s string) (string, bool) {
	switch s {
	case "sent":
		return sms.StatusSent, true
	case "delivered", "read":
		return sms.StatusDelivered, true
	case "undelivered":
		return sms.StatusUndelivered, true
	case "failed", "canceled":
		return sms.StatusFailed, true
	}
	return "", false
}
