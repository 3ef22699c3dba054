package twilio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	tclient "github.com/twilio/twilio-go/client"
)

// ErrCredentialsRefused: Twilio answered that the account SID and auth
// token do not go together (401, error 20003). Only Twilio's own answer
// means this; a call that got no answer never does.
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
// twilio-go takes no context: the call goes on in the background after
// ctx ends, until the provider's own timeout.
func (p *Provider) CheckAccount(ctx context.Context) (Account, error) {
	type answer struct {
		a   Account
		err error
	}
	done := make(chan answer, 1)
	go func() {
		acc, err := p.api.FetchAccount(p.sid)
		if err != nil {
			done <- answer{err: accountError(err)}
			return
		}
		a := Account{SID: p.sid}
		if acc.Status != nil {
			a.Status = *acc.Status
		}
		done <- answer{a: a}
	}()
	select {
	case ans := <-done:
		return ans.a, ans.err
	case <-ctx.Done():
		return Account{}, fmt.Errorf("twilio: no answer to the account check: %w", ctx.Err())
	}
}

// accountError words a failed account fetch; only Twilio's 401 or 20003
// wraps ErrCredentialsRefused. The error never holds the auth token:
// twilio-go's errors carry the URL (the SID only) and Twilio's message.
func accountError(err error) error {
	var te *tclient.TwilioRestError
	if !errors.As(err, &te) {
		return fmt.Errorf("twilio: no answer to the account check: %w", err)
	}
	msg := te.Message
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
