package simnet

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/textbank/textbank/backend/sms"
)

// ErrMalformed wraps Text's refusal of a number not in E.164 or an empty
// body: nothing was handed to the receiver.
var ErrMalformed = errors.New("malformed text")

// Text delivers a text a contact sends of their own accord, from (the
// contact's number) to to (one of the server's), as the network delivers
// its contacts' replies: under a new provider id, through the attached
// Receiver, the entry point a provider's webhook uses. An organizer
// trying a campaign chooses it (textbankd sim text): a START after an
// opt-out, a question, a stranger's text no conversation claims. Unlike a
// reply it is handed over at once, and the receiver's error (a number
// not the server's) is returned; the provider id on success.
func (n *Network) Text(ctx context.Context, from, to, body string) (string, error) {
	if err := e164(from); err != nil {
		return "", fmt.Errorf("simnet: from %w: %w", err, ErrMalformed)
	}
	if err := e164(to); err != nil {
		return "", fmt.Errorf("simnet: to %w: %w", err, ErrMalformed)
	}
	if strings.TrimSpace(body) == "" {
		return "", fmt.Errorf("simnet: the text is empty: %w", ErrMalformed)
	}
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return "", ErrClosed
	}
	// Close waits for it, as for a reply in flight.
	n.wg.Add(1)
	r := n.receiver
	n.mu.Unlock()
	defer n.wg.Done()
	if r == nil {
		return "", errors.New("simnet: no receiver attached")
	}
	in := sms.Inbound{ProviderID: newID(), From: from, To: to, Body: body, ReceivedAt: time.Now()}
	if err := r.Receive(ctx, in); err != nil {
		return "", fmt.Errorf("simnet: deliver: %w", err)
	}
	n.log.Debug().Str("provider_id", in.ProviderID).Str("from", from).Str("to", to).Msg("chosen simulated text delivered")
	return in.ProviderID, nil
}
