package simnet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
)

func TestStopReply(t *testing.T) {
	n := New(Config{Mix: Mix{Stop: 1}, Seed: 7}, zerolog.Nop())
	defer n.Close()
	in := newInbox()
	n.Attach(in)
	id, err := n.Send(context.Background(), text(volunteer, contact, "Hi Ana, will you vote?"))
	if err != nil {
		t.Fatal(err)
	}
	if !providerID.MatchString(id) {
		t.Fatalf("provider id %q is not SM + 32 hex", id)
	}
	got := in.next(t)
	if got.Body != "STOP" || got.From != contact || got.To != volunteer {
		t.Fatalf("got %+v, want STOP from %s to %s", got, contact, volunteer)
	}
	if !providerID.MatchString(got.ProviderID) || got.ProviderID == id {
		t.Fatalf("reply provider id %q must be new and SM + 32 hex", got.ProviderID)
	}
	if got.ReceivedAt.IsZero() {
		t.Fatal("ReceivedAt not set")
	}
	// An opted-out contact never answers again.
	for range 5 {
		if _, err := n.Send(context.Background(), text(volunteer, contact, "follow up")); err != nil {
			t.Fatal(err)
		}
	}
	n.Close()
	if extra := in.drain(); len(extra) != 0 {
		t.Fatalf("contact replied after STOP: %+v", extra)
	}
}

func TestKinds(t *testing.T) {
	tests := []struct {
		name string
		mix  Mix
		want []string // possible bodies; nil means no reply
	}{
		{"answer", Mix{Answer: 1}, lines[Answer]},
		{"question", Mix{Question: 1}, lines[Question]},
		{"rude", Mix{Rude: 1}, lines[Rude]},
		{"leave alone", Mix{LeaveAlone: 1}, lines[LeaveAlone]},
		{"silent", Mix{Silent: 1}, nil},
		{"empty mix is silent", Mix{}, nil},
		{"nil mix is silent", nil, nil},
		{"non-positive weights ignored", Mix{Stop: -3, Answer: 0, Silent: 1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := New(Config{Mix: tt.mix, Seed: 1}, zerolog.Nop())
			in := newInbox()
			n.Attach(in)
			for i := range 10 {
				if _, err := n.Send(context.Background(), text(volunteer, fmt.Sprintf("+1312555%04d", i), "Hi")); err != nil {
					t.Fatal(err)
				}
			}
			n.Close() // waits for in-flight deliveries
			got := in.drain()
			if tt.want == nil {
				if len(got) != 0 {
					t.Fatalf("want no replies, got %+v", got)
				}
				return
			}
			if len(got) != 10 {
				t.Fatalf("want 10 replies, got %d", len(got))
			}
			for _, m := range got {
				if !slices.Contains(tt.want, m.Body) {
					t.Fatalf("reply %q is not a %s line", m.Body, tt.name)
				}
			}
		})
	}
}

func TestFollowUps(t *testing.T) {
	n := New(Config{Mix: Mix{Question: 1}, Seed: 3}, zerolog.Nop())
	defer n.Close()
	in := newInbox()
	n.Attach(in)
	ctx := context.Background()
	if _, err := n.Send(ctx, text(volunteer, contact, "Hi")); err != nil {
		t.Fatal(err)
	}
	if m := in.next(t); !slices.Contains(lines[Question], m.Body) {
		t.Fatalf("first reply %q is not a question", m.Body)
	}
	replies := 1
	for range 20 {
		if _, err := n.Send(ctx, text(volunteer, contact, "Here's the answer")); err != nil {
			t.Fatal(err)
		}
		// Wait for any reply this text triggered before sending the next,
		// so no follow-up is skipped for being pending. The conversation's
		// count, raised under the lock while Send scheduled the reply, says
		// whether one was triggered; pending would not: a reply without a
		// delay may already be delivered, and pending cleared, by now.
		n.mu.Lock()
		triggered := n.convs[volunteer+"|"+contact].replies > replies
		n.mu.Unlock()
		if triggered {
			m := in.next(t)
			if !slices.Contains(lines[Answer], m.Body) {
				t.Fatalf("follow-up reply %q is not an answer", m.Body)
			}
			replies++
		}
	}
	if replies < 2 || replies > maxReplies {
		t.Fatalf("%d replies in the conversation, want 2..%d", replies, maxReplies)
	}
}

func TestOneReplyPerTrigger(t *testing.T) {
	// Delayed replies: the follow-ups arrive while the first reply is pending.
	n := New(Config{Mix: Mix{Answer: 1}, MinDelay: 50 * time.Millisecond, MaxDelay: 50 * time.Millisecond}, zerolog.Nop())
	in := newInbox()
	n.Attach(in)
	for range 5 {
		if _, err := n.Send(context.Background(), text(volunteer, contact, "Hi")); err != nil {
			t.Fatal(err)
		}
	}
	in.next(t)
	time.Sleep(100 * time.Millisecond)
	n.Close()
	if extra := in.drain(); len(extra) != 0 {
		t.Fatalf("got %d extra replies while one was pending", len(extra))
	}
}

func TestDelay(t *testing.T) {
	const d = 80 * time.Millisecond
	n := New(Config{Mix: Mix{Answer: 1}, MinDelay: d, MaxDelay: 2 * d}, zerolog.Nop())
	defer n.Close()
	in := newInbox()
	n.Attach(in)
	start := time.Now()
	if _, err := n.Send(context.Background(), text(volunteer, contact, "Hi")); err != nil {
		t.Fatal(err)
	}
	in.next(t)
	if el := time.Since(start); el < d {
		t.Fatalf("reply after %v, want at least %v", el, d)
	}
}

func TestCloseCancelsPending(t *testing.T) {
	n := New(Config{Mix: Mix{Answer: 1}, MinDelay: time.Hour, MaxDelay: time.Hour}, zerolog.Nop())
	in := newInbox()
	n.Attach(in)
	for i := range 10 {
		if _, err := n.Send(context.Background(), text(volunteer, fmt.Sprintf("+1312555%04d", i), "Hi")); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan struct{})
	go func() { n.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	if got := in.drain(); len(got) != 0 {
		t.Fatalf("pending replies delivered after Close: %+v", got)
	}
	if _, err := n.Send(context.Background(), text(volunteer, contact, "Hi")); !errors.Is(err, ErrClosed) {
		t.Fatalf("Send after Close = %v, want ErrClosed", err)
	}
	n.Close() // twice is fine
}

// blockingInbox holds each delivery until its context is cancelled.
type blockingInbox struct{ started chan struct{} }

func (b *blockingInbox) Receive(ctx context.Context, m sms.Inbound) error {
	b.started <- struct{}{}
	<-ctx.Done()
	return ctx.Err()
}

func TestCloseWaitsForInFlight(t *testing.T) {
	n := New(Config{Mix: Mix{Answer: 1}}, zerolog.Nop())
	n.grace = 20 * time.Millisecond
	b := &blockingInbox{started: make(chan struct{}, 1)}
	n.Attach(b)
	if _, err := n.Send(context.Background(), text(volunteer, contact, "Hi")); err != nil {
		t.Fatal(err)
	}
	<-b.started
	n.Close() // returns only because Close cancels the delivery's context
}

func TestCloseDeliversInFlight(t *testing.T) {
	// Zero delay: the reply is in flight as soon as Send returns.
	n := New(Config{Mix: Mix{Stop: 1}}, zerolog.Nop())
	in := newInbox()
	n.Attach(in)
	if _, err := n.Send(context.Background(), text(volunteer, contact, "Hi")); err != nil {
		t.Fatal(err)
	}
	n.Close()
	if got := in.drain(); len(got) != 1 || got[0].Body != "STOP" {
		t.Fatalf("got %+v, want the in-flight STOP", got)
	}
}

func TestDeterministic(t *testing.T) {
	run := func(seed int64) map[string]string {
		cfg := DefaultConfig()
		cfg.MinDelay, cfg.MaxDelay, cfg.Seed = 0, 0, seed
		n := New(cfg, zerolog.Nop())
		in := newInbox()
		n.Attach(in)
		for i := range 60 {
			if _, err := n.Send(context.Background(), text(volunteer, fmt.Sprintf("+1312555%04d", i), "Hi")); err != nil {
				t.Fatal(err)
			}
		}
		n.Close()
		got := map[string]string{}
		for _, m := range in.drain() {
			got[m.From] = m.Body
		}
		return got
	}
	a, b := run(42), run(42)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("same seed, different replies:\n%v\n%v", a, b)
	}
	if fmt.Sprint(a) == fmt.Sprint(run(43)) {
		t.Fatal("different seeds gave identical replies")
	}
	// The default mix yields every kind of contact among 60.
	kinds := map[Kind]bool{}
	for i := range 60 {
		body, ok := a[fmt.Sprintf("+1312555%04d", i)]
		if !ok {
			kinds[Silent] = true
		}
		for k, l := range lines {
			if ok && slices.Contains(l, body) {
				kinds[k] = true
			}
		}
	}
	if len(kinds) != len(DefaultConfig().Mix) {
		t.Fatalf("default mix produced only %v", kinds)
	}
}

func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	if c.MinDelay != 3*time.Second || c.MaxDelay != 8*time.Second {
		t.Fatalf("delays %v-%v", c.MinDelay, c.MaxDelay)
	}
	for _, k := range []Kind{Answer, Question, Stop, Rude, Silent} {
		if c.Mix[k] <= 0 {
			t.Fatalf("default mix lacks %s", k)
		}
	}
}
