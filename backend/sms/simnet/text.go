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
// its contacts' replies: under the provider id id, or a new one when id is
// empty, through the attached Receiver, the entry point a provider's
// webhook uses. An organizer trying a campaign chooses it (textbankd sim
// text): a START after an opt-out, a question, a stranger's text no
// conversation claims, or a text the provider delivers twice (the same
// id again, as a retried webhook does). Unlike a reply it is handed over
// at once, and the receiver's error (a number not the server's) is
// returned; on success the provider id, and repeat when the receiver says
// it already held a text under that id and stored nothing new
// (onceReceiver; false from one that cannot say).
func (n *Network) Text(ctx context.Context, id, from, to, body string) (providerID string, repeat bool, err error) {
	if id != "" {
		if err := CheckID(id); err != nil {
			return "", false, fmt.Errorf("simnet: id %w: %w", err, ErrMalformed)
		}
	}
	if err := e164(from); err != nil {
		return "", false, fmt.Errorf("simnet: from %w: %w", err, ErrMalformed)
	}
	if err := e164(to); err != nil {
		return "", false, fmt.Errorf("simnet: to %w: %w", err, ErrMalformed)
	}
	if strings.TrimSpace(body) == "" {
		return "", false, fmt.Errorf("simnet: the text is empty: %w", ErrMalformed)
	}
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return "", false, ErrClosed
	}
	// Close waits for it, as for a reply in flight.
	n.wg.Add(1)
	r := n.receiver
	n.mu.Unlock()
	defer n.wg.Done()
	if r == nil {
		return "", false, errors.New("simnet: no receiver attached")
	}
	if id == "" {
		id = newID()
	}
	in := sms.Inbound{ProviderID: id, From: from, To: to, Body: body, ReceivedAt: time.Now()}
	if once, ok := r.(onceReceiver); ok {
		repeat, err = once.ReceiveOnce(ctx, in)
	} else {
		err = r.Receive(ctx, in)
	}
	if err != nil {
		return "", false, fmt.Errorf("simnet: deliver: %w", err)
	}
	n.log.Debug().Str("provider_id", in.ProviderID).Str("from", from).Str("to", to).Bool("repeat", repeat).Msg("chosen simulated text delivered")
	return in.ProviderID, repeat, nil
}

// onceReceiver is a Receiver that also says whether a text repeated one
// it already stored under the same provider id (the server: a provider
// delivering a text twice has it stored once), for Text's answer.
type onceReceiver interface {
	ReceiveOnce(ctx context.Context, m sms.Inbound) (repeat bool, err error)
}

// CheckID says whether id is a message id as this network makes them
// (newID) and Twilio does: "SM" and 32 hexadecimal digits, lower case. A
// chosen text's id is held to it, so that a repeat is typed as the first
// was (SMAB... and SMab... would be two ids to the store).
func CheckID(id string) error {
	hexDigits, ok := strings.CutPrefix(id, "SM")
	ok = ok && len(hexDigits) == 32
	for i := 0; ok && i < len(hexDigits); i++ {
		c := hexDigits[i]
		ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f'
	}
	if !ok {
		return fmt.Errorf("%q is not a message id: SM and 32 hexadecimal digits (0-9, a-f), as Twilio's, e.g. SM0123456789abcdef0123456789abcdef", id)
	}
	return nil
}
