package simnet

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/sms"
)

var providerID = regexp.MustCompile(`^SM[0-9a-f]{32}$`)

// inbox is a Receiver that records what the network delivers.
type inbox struct {
	ch  chan sms.Inbound
	err error
}

func newInbox() *inbox { return &inbox{ch: make(chan sms.Inbound, 1000)} }

func (b *inbox) Receive(ctx context.Context, m sms.Inbound) error {
	b.ch <- m
	return b.err
}

func (b *inbox) next(t *testing.T) sms.Inbound {
	t.Helper()
	select {
	case m := <-b.ch:
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("no reply delivered")
		return sms.Inbound{}
	}
}

func (b *inbox) drain() []sms.Inbound {
	var out []sms.Inbound
	for {
		select {
		case m := <-b.ch:
			out = append(out, m)
		default:
			return out
		}
	}
}

func text(from, to, body string) sms.Outbound {
	return sms.Outbound{From: from, To: to, Body: body}
}

const (
	volunteer = "+12025550180"
	contact   = "+13125550101"
)
