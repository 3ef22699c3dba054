package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms/twilio"
)

// twilioCheckWait bounds how long a start waits for Twilio to answer the
// account check: a server must start while the network is down (its
// volunteers can still read and queue), and waiting out twilio-go's own
// 15 s timeout would hold every restart that long.
const twilioCheckWait = 10 * time.Second

// checkTwilio fetches the Twilio account once at start, so that a SID and
// token that do not belong together are found now, by the operator, rather
// than at the first text, by a volunteer. Twilio's refusal (401, 20003)
// stops the start with what to fix; anything else (no answer, a 5xx, a
// slow network) is a warning and the start goes on: only Twilio's own
// answer says the credentials are wrong. Never logs the token (nor does
// Twilio's answer, which carries it, reach the log).
func (p *phones) checkTwilio(ctx context.Context, c textsConfig, log zerolog.Logger) error {
	if p.twilio == nil {
		return nil
	}
	cctx, cancel := context.WithTimeout(ctx, twilioCheckWait)
	defer cancel()
	acc, err := p.twilio.CheckAccount(cctx)
	switch {
	case errors.Is(err, twilio.ErrCredentialsRefused):
		return fmt.Errorf("%w: the account SID %s (--twilio-account-sid) and the auth token (%s) do not go together; "+
			"copy both from the Twilio Console (Account Info) and start again", err, c.sid, tokenSource(c))
	case err != nil:
		log.Warn().Err(err).Str("api_url", redactURL(c.apiURL)).
			Msg("could not check the Twilio account SID and auth token at start; serving anyway (if they are wrong, texts fail with Twilio's refusal)")
	case acc.Status != "active":
		log.Warn().Str("account_sid", acc.SID).Str("account_status", acc.Status).
			Msg("the Twilio account is not active: Twilio will refuse texts until it is")
	default:
		log.Info().Str("account_sid", acc.SID).Msg("Twilio accepted the account SID and auth token")
	}
	return nil
}

// tokenSource names where the auth token came from, never the token.
func tokenSource(c textsConfig) string {
	if c.tokenFile != "" {
		return "--twilio-auth-token-file " + c.tokenFile
	}
	return "TEXTBANK_TWILIO_AUTH_TOKEN or --twilio-auth-token"
}
