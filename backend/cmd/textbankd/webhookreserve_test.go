package main

import (
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/sms/twilio"
)

// TestTwilioWebhooksInTheReserve: Twilio's webhooks are under
// server.WebhookPrefix, the paths the connections past --max-conns are
// kept for; a webhook moved elsewhere would be refused with everyone once
// a crowd fills the server.
func TestTwilioWebhooksInTheReserve(t *testing.T) {
	for _, p := range []string{twilio.InboundPath, twilio.StatusPath} {
		if !strings.HasPrefix(p, server.WebhookPrefix) {
			t.Errorf("Twilio's webhook %s is not under %s", p, server.WebhookPrefix)
		}
	}
}
