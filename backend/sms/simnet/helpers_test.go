package simnet

import (
	"bytes"
	"context"
	"regexp"
	"sync"
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

// syncBuffer is a bytes.Buffer safe for the network's goroutines to log into.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
