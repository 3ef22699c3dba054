// Package simnet is a simulated phone network for demo mode and tests. It
// implements sms.Provider, and its simulated contacts answer through the
// attached sms.Receiver, the same entry point real inbound texts use, so the
// server cannot tell it from a real provider.
//
// Conversation model, kept deliberately simple:
//   - The first text from a number to a contact makes the contact pick a
//     Kind by the configured Mix: Answer, Question or Rude reply once with a
//     line of that kind; Stop replies "STOP" and LeaveAlone asks in their
//     own words to be left alone, and neither replies again; Silent never
//     replies.
//   - A later text in a conversation whose contact replied (and did not say
//     STOP) gets an Answer line half the time, up to maxReplies replies in
//     all, and never while an earlier reply is still pending.
//   - Each text sent triggers at most one reply.
//
// Choices and delays come from one generator seeded by Config.Seed, so a
// given sequence of Sends produces the same replies. Provider ids are random
// (crypto) so that a restarted demo never reuses one.
package simnet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
)

// Kind is how a simulated contact reacts to the first text.
type Kind string

const (
	Answer   Kind = "answer"
	Question Kind = "question"
	Stop     Kind = "stop"
	Rude     Kind = "rude"
	Silent   Kind = "silent"
	// LeaveAlone asks not to be texted without an opt-out keyword: the
	// server flags it as a likely opt-out for the volunteer to decide.
	LeaveAlone Kind = "leave_alone"
)

// Mix weighs the kinds; a contact picks one with probability weight/total.
// Kinds with zero or negative weight never occur; a Mix with no positive
// weight makes every contact Silent.
type Mix map[Kind]int

// Config tunes the network.
type Config struct {
	// A reply arrives after a delay drawn uniformly from [MinDelay, MaxDelay];
	// 0 delivers at once (in a goroutine). MaxDelay below MinDelay counts as
	// MinDelay.
	MinDelay, MaxDelay time.Duration
	Mix                Mix
	Seed               int64
	// Delivered: when positive, each text sent is reported delivered this
	// long after, as a carrier's receipt comes back through a provider's
	// status callback (delivery.go). Zero: never, as the tests and the
	// load driver want (they count sends alone).
	Delivered time.Duration
}

// DefaultConfig is what demo mode uses: replies after 3 to 8 seconds, most
// contacts friendly, some curious, a few opting out or rude; each text
// delivered two seconds after it is sent.
func DefaultConfig() Config {
	return Config{
		MinDelay:  3 * time.Second,
		MaxDelay:  8 * time.Second,
		Mix:       Mix{Answer: 5, Question: 3, Stop: 1, Rude: 1, Silent: 2, LeaveAlone: 1},
		Delivered: 2 * time.Second,
	}
}

// closeGrace bounds how long Close waits for a receiver before cancelling.
const closeGrace = 5 * time.Second

// maxReplies caps one conversation so a demo thread never chats forever.
const maxReplies = 3

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("simnet: network is closed")

var lines = map[Kind][]string{
	Answer: {
		"Yes, I'll be there!", "Already voted", "Count me in.", "Sure, thanks for the reminder!",
		"Yes! Planning to vote early.", "Thanks, I'll be voting.",
	},
	Question: {
		"Where is my polling place?", "Who is the candidate again?", "When is election day?",
		"Can I vote by mail?", "Who is this?", "What time do the polls close?",
	},
	Stop: {"STOP"},
	LeaveAlone: {
		"please take me off your list", "no more texts please", "Please don't text me again.",
		"Wrong number. Leave me alone.",
	},
	Rude: {
		"Not interested. Don't waste my time.", "Ugh, another political text?",
		"How did you even get this number?", "Mind your own business.",
	},
}

// conversation is what the network remembers about one (from, to) pair.
type conversation struct {
	done    bool // Stop or Silent: no more replies
	replies int
	pending bool
}

// Network is the simulated phone network. Safe for concurrent use.
type Network struct {
	cfg Config
	log zerolog.Logger

	ctx    context.Context // deliveries; cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // scheduled and in-flight deliveries
	grace  time.Duration  // how long Close lets in-flight deliveries run

	mu          sync.Mutex
	rng         *mrand.Rand
	receiver    sms.Receiver
	closed      bool
	recent      recentTexts       // the latest texts, for Sent, Lookup and byKey
	journal     *os.File          // nil unless UseJournal
	journalPath string            // its path, for Lookup of older texts
	index       journalIndex      // where in it Lookup starts reading
	journalEnd  int64             // size of the journal's whole lines
	noSync      bool              // UnsyncedJournal
	byKey       map[string]string // idempotency key -> provider id, of recent's texts
	convs       map[string]*conversation
	timers      map[*time.Timer]struct{}
}

var _ sms.Provider = (*Network)(nil)

// New makes a network; Attach a Receiver before replies are due.
func New(cfg Config, log zerolog.Logger) *Network {
	if cfg.MinDelay < 0 {
		cfg.MinDelay = 0
	}
	if cfg.MaxDelay < cfg.MinDelay {
		cfg.MaxDelay = cfg.MinDelay
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Network{
		cfg: cfg, log: log, ctx: ctx, cancel: cancel, grace: closeGrace,
		rng:    mrand.New(mrand.NewPCG(uint64(cfg.Seed), 0x5eed)),
		recent: recentTexts{keep: keepSent},
		byKey:  map[string]string{},
		convs:  map[string]*conversation{},
		timers: map[*time.Timer]struct{}{},
	}
}

// Attach sets where replies go. It is separate from New because the server
// needs its provider before it exists.
func (n *Network) Attach(r sms.Receiver) {
	n.mu.Lock()
	n.receiver = r
	n.mu.Unlock()
}

// Send records m and may schedule the contact's reply. A repeated
// IdempotencyKey returns the first provider id and sends nothing, like a
// real provider's idempotent send.
func (n *Network) Send(ctx context.Context, m sms.Outbound) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("simnet: send: %w", err)
	}
	if err := validate(m); err != nil {
		return "", err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return "", ErrClosed
	}
	if m.IdempotencyKey != "" {
		if id, ok := n.byKey[m.IdempotencyKey]; ok {
			// A real provider would text again: the journal says so, so
			// that tests catch a server that repeats a send.
			if err := n.writeJournalLocked(record{ID: id, Key: m.IdempotencyKey, From: m.From, To: m.To,
				Body: m.Body, At: time.Now().UTC(), Repeat: true}); err != nil {
				return "", err
			}
			return id, nil
		}
	}
	id := newID()
	rec := record{ID: id, Key: m.IdempotencyKey, From: m.From, To: m.To, Body: m.Body, At: time.Now().UTC()}
	if err := n.writeJournalLocked(rec); err != nil {
		return "", err
	}
	n.rememberLocked(rec)
	n.log.Debug().Str("provider_id", id).Str("from", m.From).Str("to", m.To).Msg("simulated text sent")
	n.scheduleDeliveredLocked(id)
	if body, ok := n.replyLocked(m); ok {
		n.scheduleLocked(sms.Inbound{From: m.To, To: m.From, Body: body}, m.From+"|"+m.To)
	}
	return id, nil
}

// replyLocked decides whether the contact answers m, and with what.
func (n *Network) replyLocked(m sms.Outbound) (string, bool) {
	key := m.From + "|" + m.To
	c, seen := n.convs[key]
	if !seen {
		c = &conversation{}
		n.convs[key] = c
		kind := n.pickLocked()
		if kind == Silent || kind == Stop || kind == LeaveAlone {
			c.done = true
		}
		if kind == Silent {
			return "", false
		}
		return n.lineLocked(kind), true
	}
	if c.done || c.pending || c.replies == 0 || c.replies >= maxReplies || n.rng.IntN(2) == 0 {
		return "", false
	}
	return n.lineLocked(Answer), true
}

func (n *Network) pickLocked() Kind {
	// Iterate kinds in a fixed order: map order would break determinism.
	order := []Kind{Answer, Question, Stop, Rude, Silent, LeaveAlone}
	total := 0
	for _, k := range order {
		total += max(n.cfg.Mix[k], 0)
	}
	if total == 0 {
		return Silent
	}
	r := n.rng.IntN(total)
	for _, k := range order {
		if w := max(n.cfg.Mix[k], 0); r < w {
			return k
		} else {
			r -= w
		}
	}
	return Silent
}

func (n *Network) lineLocked(k Kind) string {
	l := lines[k]
	return l[n.rng.IntN(len(l))]
}

func (n *Network) delayLocked() time.Duration {
	d := n.cfg.MinDelay
	if span := n.cfg.MaxDelay - n.cfg.MinDelay; span > 0 {
		d += time.Duration(n.rng.Int64N(int64(span) + 1))
	}
	return d
}

func (n *Network) scheduleLocked(in sms.Inbound, key string) {
	c := n.convs[key]
	c.pending = true
	c.replies++
	n.wg.Add(1)
	d := n.delayLocked()
	if d == 0 {
		go n.deliver(in, key, nil)
		return
	}
	var t *time.Timer
	t = time.AfterFunc(d, func() { n.deliver(in, key, &t) })
	n.timers[t] = struct{}{}
}

// deliver hands one reply to the receiver. Once it runs the reply is in
// flight and is delivered even if Close has begun. Exactly one of deliver
// and Close's timer.Stop accounts for each scheduled reply in wg.
func (n *Network) deliver(in sms.Inbound, key string, t **time.Timer) {
	defer n.wg.Done()
	n.mu.Lock()
	// The timer can fire before AfterFunc's result is stored in *t; reading
	// it under the lock scheduleLocked holds makes sure it is there.
	if t != nil {
		delete(n.timers, *t)
	}
	n.convs[key].pending = false
	r := n.receiver
	n.mu.Unlock()
	if r == nil {
		n.log.Warn().Str("from", in.From).Str("to", in.To).Msg("simulated reply dropped: no receiver attached")
		return
	}
	in.ProviderID, in.ReceivedAt = newID(), time.Now()
	if err := r.Receive(n.ctx, in); err != nil {
		n.log.Error().Err(err).Str("provider_id", in.ProviderID).Str("from", in.From).Str("to", in.To).Msg("receiver rejected simulated reply")
		return
	}
	n.log.Debug().Str("provider_id", in.ProviderID).Str("from", in.From).Str("to", in.To).Msg("simulated reply delivered")
}

// Close cancels replies still waiting for their delay and makes later
// Sends fail. Replies already handed over (delay elapsed, or zero delay) are
// in flight: Close waits for them, and if they take longer than a grace
// period it cancels their context and waits again. Safe to call more than once.
func (n *Network) Close() {
	n.mu.Lock()
	if !n.closed {
		n.closed = true
		for t := range n.timers {
			if t.Stop() {
				n.wg.Done()
			}
			delete(n.timers, t)
		}
	}
	if n.journal != nil {
		n.journal.Close()
		n.journal = nil
	}
	n.mu.Unlock()
	done := make(chan struct{})
	go func() { n.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(n.grace):
		n.log.Warn().Dur("grace", n.grace).Msg("simulated replies still being delivered; cancelling them")
		n.cancel()
		<-done
	}
	n.cancel()
}

func validate(m sms.Outbound) error {
	if err := e164(m.From); err != nil {
		return fmt.Errorf("simnet: From %w", err)
	}
	if err := e164(m.To); err != nil {
		return fmt.Errorf("simnet: To %w", err)
	}
	if strings.TrimSpace(m.Body) == "" {
		return errors.New("simnet: message body is empty")
	}
	return nil
}

// e164 checks the form only (+, a non-zero digit, up to 15 digits): the
// network is simulated, so any well-formed number exists.
func e164(s string) error {
	ok := len(s) >= 3 && len(s) <= 16 && s[0] == '+' && s[1] != '0'
	for i := 1; ok && i < len(s); i++ {
		ok = s[i] >= '0' && s[i] <= '9'
	}
	if !ok {
		return fmt.Errorf("%q is not an E.164 number (like +12025550180)", s)
	}
	return nil
}

// newID is a Twilio-style message id: "SM" and 32 hex digits.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return "SM" + hex.EncodeToString(b[:])
}
