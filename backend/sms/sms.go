// Package sms is the boundary between the campaign server and a phone
// network: the server sends through a Provider and hears back through a
// Receiver. Twilio and the simulated network (sms/simnet) both sit behind it,
// so the server cannot tell a demo from real traffic.
package sms

import (
	"context"
	"errors"
	"time"
)

// Outbound is one text the server asks a provider to send.
type Outbound struct {
	From, To, Body string // From and To in E.164
	// IdempotencyKey is the server's message id; a provider that supports
	// idempotent sends uses it so a retried call never texts twice.
	IdempotencyKey string
}

// Inbound is one text a contact sent to one of the campaign's numbers.
type Inbound struct {
	ProviderID, From, To, Body string
	ReceivedAt                 time.Time
	// MediaURLs are pictures sent with the text (MMS), in order.
	MediaURLs []string
}

// Delivery statuses a provider reports for an outbound message.
const (
	StatusSent        = "sent"
	StatusDelivered   = "delivered"
	StatusUndelivered = "undelivered"
	StatusFailed      = "failed"
)

// StatusUpdate is a provider's later word on an outbound message.
type StatusUpdate struct {
	ProviderID, Status string // Status: sent, delivered, undelivered, failed
	ErrorCode          string
	ErrorMessage       string
}

// Sent is a text the provider has a record of.
type Sent struct {
	ProviderID string
	Status     string
}

// Provider sends texts. Send returns the provider's id for the message.
//
// Lookup answers "did you already send this?" after a crash left a text
// between "about to call the provider" and "the provider answered": it lists
// the provider's texts from m.From to m.To with m.Body sent at or after
// since. An empty list means the provider has no trace of it; an error means
// it cannot say, and the text must not be sent blindly again.
type Provider interface {
	Send(ctx context.Context, m Outbound) (providerID string, err error)
	Lookup(ctx context.Context, m Outbound, since time.Time) ([]Sent, error)
}

// Error is a provider's refusal of a text.
type Error struct {
	Code    string // the provider's code, e.g. Twilio's "21211"
	Message string
	// Retry says the text was certainly not sent and trying again later may
	// work (rate limited).
	Retry bool
	// Unsure says the provider may or may not have sent it (a timeout, a
	// server error): look it up before trying again.
	Unsure bool
}

func (e *Error) Error() string {
	if e.Code == "" {
		return e.Message
	}
	return "error " + e.Code + ": " + e.Message
}

// CodeUnsubscribed is the error a provider gives for a number that has
// opted out at the carrier (Twilio 21610): it opts the number out here too.
const CodeUnsubscribed = "21610"

// Receiver takes inbound texts. The server implements it; the Twilio webhook
// (after signature verification) and the simulated network deliver through it.
type Receiver interface {
	Receive(ctx context.Context, m Inbound) error
}

// StatusReceiver takes a provider's later word on a text.
type StatusReceiver interface {
	// UpdateStatus returns an error wrapping ErrUnknownMessage for a
	// provider id no text of ours has.
	UpdateStatus(ctx context.Context, u StatusUpdate) error
}

// ErrUnknownMessage: no text of ours has this provider id.
var ErrUnknownMessage = errors.New("no text has this provider id")

// ErrUnknownNumber: the text was sent to a number that is not ours.
var ErrUnknownNumber = errors.New("not one of our numbers")
