package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms/twilio"
)

// twilioStartWait bounds how long a start waits for Twilio's answer to the
// account check before serving. A healthy Twilio answers well within it,
// so a wrong token still stops the start at the operator's terminal; a slow
// or unreachable Twilio holds a restart behind a proxy no longer than this
// (not twilio-go's own 15 s), and the check goes on in the background
// (checkLater). A variable so tests can shorten it.
var twilioStartWait = 2 * time.Second

// twilioRecheckMin and twilioRecheckMax bound the wait between background
// account checks while Twilio cannot be reached (doubling from the one to
// the other); variables so tests can shorten them.
var twilioRecheckMin, twilioRecheckMax = 15 * time.Second, 5 * time.Minute

// twilioAttemptWait bounds one account check (twilio-go gives up after
// 15 s itself).
const twilioAttemptWait = 20 * time.Second

// checkTwilio fetches the Twilio account at start, so that a SID and token
// that do not belong together are found now, by the operator, rather than
// at the first text, by a volunteer. Twilio's refusal (401, 20003) within
// twilioStartWait stops the start with what to fix. Without an answer by
// then (no answer, a 5xx, a slow network) it warns and the start goes on,
// since only Twilio's own answer says the credentials are wrong, and the
// check goes on in the background until Twilio answers: a refusal then
// arrives on late (nil when the check is settled already), and serve stops
// with it, as a start would have (OPERATIONS.md says why). Never logs the
// token (nor does Twilio's answer, which carries it, reach the log).
func (p *phones) checkTwilio(ctx context.Context, c textsConfig, log zerolog.Logger) (late <-chan error, err error) {
	if p.twilio == nil {
		return nil, nil
	}
	pending := p.startCheck(ctx)
	select {
	case a := <-pending:
		settled, refused := judgeAccount(a, c, log)
		if settled || refused != nil {
			return nil, refused
		}
		pending = nil // no answer: asked again after a wait
		log.Warn().Err(a.err).Str("api_url", redactURL(c.apiURL)).
			Msg("could not check the Twilio account SID and auth token at start; serving anyway and checking again in the background (if Twilio refuses them, the server stops)")
	case <-time.After(twilioStartWait):
		// The attempt goes on: its answer is awaited in the background.
		log.Warn().Dur("waited", twilioStartWait).Str("api_url", redactURL(c.apiURL)).
			Msg("Twilio has not answered the account check yet; serving anyway and checking in the background (if Twilio refuses the SID and auth token, the server stops)")
	}
	out := make(chan error, 1)
	// The waits are read here, by serve, not by the goroutine that may
	// outlive it for a moment after its ctx ends.
	go p.checkLater(ctx, pending, twilioRecheckMin, twilioRecheckMax, c, log, out)
	return out, nil
}

// accountAnswer is one account check's outcome.
type accountAnswer struct {
	acc twilio.Account
	err error
}

// startCheck asks Twilio for the account; the answer arrives on the
// channel, within twilioAttemptWait.
func (p *phones) startCheck(ctx context.Context) <-chan accountAnswer {
	ch := make(chan accountAnswer, 1)
	go func() {
		actx, cancel := context.WithTimeout(ctx, twilioAttemptWait)
		defer cancel()
		acc, err := p.twilio.CheckAccount(actx)
		ch <- accountAnswer{acc, err}
	}()
	return ch
}

// checkLater waits for the pending check (or starts one after wait, when
// pending is nil) and asks again, with waits doubling to maxWait, until Twilio
// answers. A refusal is logged as an error and sent on late; ctx ends it.
func (p *phones) checkLater(ctx context.Context, pending <-chan accountAnswer, wait, maxWait time.Duration,
	c textsConfig, log zerolog.Logger, late chan<- error) {
	for {
		if pending == nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = min(wait*2, maxWait)
			pending = p.startCheck(ctx)
		}
		var a accountAnswer
		select {
		case <-ctx.Done():
			return
		case a = <-pending:
		}
		pending = nil
		settled, refused := judgeAccount(a, c, log)
		if refused != nil {
			log.Error().Err(refused).Msg("Twilio refused the account SID and auth token after the server had started: stopping the server, as a start would have stopped, so that texts do not fail one by one")
			late <- refused
			return
		}
		if settled || ctx.Err() != nil {
			return
		}
		log.Debug().Err(a.err).Dur("retry_in", wait).Msg("Twilio still cannot be reached for the account check")
	}
}

// judgeAccount reads an account check's outcome: refused is the error to
// stop with (Twilio refused the SID and token); settled, that Twilio
// answered otherwise (logged here); neither, that there was no answer.
func judgeAccount(a accountAnswer, c textsConfig, log zerolog.Logger) (settled bool, refused error) {
	switch {
	case errors.Is(a.err, twilio.ErrCredentialsRefused):
		return true, fmt.Errorf("%w: the account SID %s (--twilio-account-sid) and the auth token (%s) do not go together; "+
			"copy both from the Twilio Console (Account Info) and start again", a.err, c.sid, tokenSource(c))
	case a.err != nil:
		return false, nil
	case a.acc.Status != "active":
		log.Warn().Str("account_sid", a.acc.SID).Str("account_status", a.acc.Status).
			Msg("the Twilio account is not active: Twilio will refuse texts until it is")
	default:
		log.Info().Str("account_sid", a.acc.SID).Msg("Twilio accepted the account SID and auth token")
	}
	return true, nil
}

// tokenSource names where the auth token came from, never the token.
func tokenSource(c textsConfig) string {
	if c.tokenFile != "" {
		return "--twilio-auth-token-file " + c.tokenFile
	}
	return "TEXTBANK_TWILIO_AUTH_TOKEN or --twilio-auth-token"
}
