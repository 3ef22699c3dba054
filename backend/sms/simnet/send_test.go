package simnet

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
	"github.com/textbank/textbank/backend/testlog"
)

func TestBadInput(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		m       sms.Outbound
		wantErr string
	}{
		{"from not e164", context.Background(), text("2025550180", contact, "Hi"), `From "2025550180" is not an E.164 number`},
		{"from empty", context.Background(), text("", contact, "Hi"), `From "" is not an E.164`},
		{"to with letters", context.Background(), text(volunteer, "+1312555abcd", "Hi"), `To "+1312555abcd" is not an E.164`},
		{"to leading zero", context.Background(), text(volunteer, "+0123456", "Hi"), "To"},
		{"to too long", context.Background(), text(volunteer, "+1234567890123456", "Hi"), "To"},
		{"to with spaces", context.Background(), text(volunteer, "+1 312 555 0101", "Hi"), "To"},
		{"empty body", context.Background(), text(volunteer, contact, ""), "message body is empty"},
		{"blank body", context.Background(), text(volunteer, contact, " \n "), "message body is empty"},
		{"cancelled context", cancelled, text(volunteer, contact, "Hi"), "context canceled"},
	}
	n := New(Config{Mix: Mix{Answer: 1}}, zerolog.Nop())
	defer n.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := n.Send(tt.ctx, tt.m)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || id != "" {
				t.Fatalf("Send = %q, %v; want error containing %q", id, err, tt.wantErr)
			}
		})
	}
	if len(n.Sent()) != 0 {
		t.Fatalf("rejected texts were recorded: %+v", n.Sent())
	}
}

func TestIdempotencyKey(t *testing.T) {
	n := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	defer n.Close()
	m := sms.Outbound{From: volunteer, To: contact, Body: "Hi", IdempotencyKey: "msg-1"}
	a, err := n.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	b, err := n.Send(context.Background(), m)
	if err != nil || a != b {
		t.Fatalf("repeat send = %q, %v; want %q", b, err, a)
	}
	m.IdempotencyKey = "msg-2"
	if c, _ := n.Send(context.Background(), m); c == a {
		t.Fatal("a new key reused the provider id")
	}
	if got := len(n.Sent()); got != 2 {
		t.Fatalf("Sent has %d texts, want 2", got)
	}
}

func TestSentIsACopy(t *testing.T) {
	n := New(Config{}, zerolog.Nop())
	defer n.Close()
	if _, err := n.Send(context.Background(), text(volunteer, contact, "Hi")); err != nil {
		t.Fatal(err)
	}
	s := n.Sent()
	s[0].Body = "changed"
	if n.Sent()[0].Body != "Hi" {
		t.Fatal("Sent shares its slice")
	}
}

func TestReceiverErrorsAndMissingReceiverAreLogged(t *testing.T) {
	logged := func(t *testing.T, in sms.Receiver, want ...string) {
		t.Helper()
		var buf testlog.Buffer
		n := New(Config{Mix: Mix{Answer: 1}}, zerolog.New(&buf))
		if in != nil {
			n.Attach(in)
		}
		if _, err := n.Send(context.Background(), text(volunteer, contact, "Hi")); err != nil {
			t.Fatal(err)
		}
		n.Close()
		for _, w := range want {
			if !strings.Contains(buf.String(), w) {
				t.Fatalf("log lacks %q:\n%s", w, buf.String())
			}
		}
	}
	t.Run("no receiver", func(t *testing.T) { logged(t, nil, "no receiver attached") })
	t.Run("receiver error", func(t *testing.T) {
		in := newInbox()
		in.err = errors.New("thread not found")
		logged(t, in, "receiver rejected simulated reply", "thread not found")
	})
}

func TestConcurrentSends(t *testing.T) {
	n := New(Config{Mix: Mix{Answer: 1}, MaxDelay: 5 * time.Millisecond}, zerolog.Nop())
	in := newInbox()
	n.Attach(in)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := n.Send(context.Background(), text(volunteer, fmt.Sprintf("+1312555%04d", i), "Hi")); err != nil {
				t.Error(err)
			}
			_ = n.Sent()
		}()
	}
	wg.Wait()
	for range 50 {
		in.next(t)
	}
	n.Close()
	if got := len(n.Sent()); got != 50 {
		t.Fatalf("Sent has %d, want 50", got)
	}
}
