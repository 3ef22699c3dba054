package twilio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	tclient "github.com/twilio/twilio-go/client"
)

// ErrCredentialsRefused: Twilio answered that the account SID and auth
// token do not go together (401, error 20003). Only Twilio's own answer
// means this; a call that got no answer never does.
//
//lint:ignore ST1005 Twilio is a name, capitalised wherever it stands
var ErrCredentialsRefused = errors.New("Twilio refused the account SID and auth token")

// Account is what CheckAccount learns of the account. Twilio's answer also
// carries the auth token itself; it is not kept.
type Account struct {
	SID    string
	Status string // "active", "suspended" or "closed"
}

// CheckAccount fetches this provider's own account from Twilio
// (GET /2010-04-01/Accounts/{AccountSid}.json, as Twilio documents it),
// which proves the SID and auth token go together without sending a text.
// An error wraps ErrCredentialsRefused when Twilio refused them; any other
// error (no answer, a 5xx, ctx done first) says nothing about them.
// ctx ending cancels the call (twilio-go takes no context: the request is
// sent under ctx by a transport of this provider's, ctxTransport), so a
// server stopping leaves no check running.
func (p *Provider) CheckAccount(ctx context.Context) (Account, error) {
	acc, err := p.apiWith(ctxTransport{ctx}).FetchAccount(p.sid)
	if err != nil {
		if ctx.Err() != nil {
			return Account{}, fmt.Errorf("twilio: no answer to the account check: %w", ctx.Err())
		}
		return Account{}, accountError(err, p.hide)
	}
	a := Account{SID: p.sid}
	if acc.Status != nil {
		a.Status = *acc.Status
	}
	return a, nil
}

// accountError words a failed account fetch; only Twilio's 401 or 20003
// wraps ErrCredentialsRefused. The error never holds the auth token:
// twilio-go's errors carry the URL (the SID only) and Twilio's message,
// from which hide takes the public URL's password (classify says why).
func accountError(err error, hide *strings.Replacer) error {
	var te *tclient.TwilioRestError
	if !errors.As(err, &te) {
		return fmt.Errorf("twilio: no answer to the account check: %w", err)
	}
	msg := hide.Replace(te.Message)
	if msg == "" {
		msg = http.StatusText(te.Status)
	}
	detail := strconv.Itoa(te.Status)
	if te.Code != 0 {
		detail += " " + strconv.Itoa(te.Code)
	}
	if te.Status == http.StatusUnauthorized || te.Code == 20003 {
		return fmt.Errorf("twilio: %w (%s %s)", ErrCredentialsRefused, detail, msg)
	}
	return fmt.Errorf("twilio: the account check was answered %s %s", detail, msg)
}
