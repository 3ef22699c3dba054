// Package sms is the boundary between the campaign server and a phone
// network: the server sends through a Provider and hears back through a
// Receiver. Twilio and the simulated network (sms/simnet) both sit behind it,
// so the server cannot tell a demo from real traffic.
package sms

import (
	"context"
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
}

// Delivery statuses a provider reports for an outbound message.
const (
	StatusSent      = "sent"
	StatusDelivered = "delivered"
	StatusFailed    = "failed"
)

// StatusUpdate is a provider's later word on an outbound message.
type StatusUpdate struct {
	ProviderID, Status string // Status: sent, delivered, failed
	ErrorCode          string
}

// Provider sends texts. It returns the provider's id for the message.
type Provider interface {
	Send(ctx context.Context, m Outbound) (providerID string, err error)
}

// Receiver takes inbound texts. The server implements it; the Twilio webhook
// (after signature verification) and the simulated network deliver through it.
type Receiver interface {
	Receive(ctx context.Context, m Inbound) error
}
