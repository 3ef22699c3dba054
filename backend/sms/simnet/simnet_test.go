package simnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

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
		// so no follow-up is skipped for being pending.
		n.mu.Lock()
		pending := n.convs[volunteer+"|"+contact].pending
		n.mu.Unlock()
		if pending {
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
		var buf syncBuffer
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

func TestJournalAnswersAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sent.jsonl")
	ctx := context.Background()
	first := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	if err := first.UseJournal(path); err != nil {
		t.Fatal(err)
	}
	m := sms.Outbound{From: "+12025550100", To: "+12125550101", Body: "Hi Ada", IdempotencyKey: "m1"}
	since := time.Now().Add(-time.Minute)
	id, err := first.Send(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()

	// A restarted server asks a network that remembers.
	second := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	defer second.Close()
	if err := second.UseJournal(path); err != nil {
		t.Fatal(err)
	}
	found, err := second.Lookup(ctx, m, since)
	if err != nil || len(found) != 1 || found[0].ProviderID != id {
		t.Fatalf("lookup = %+v, %v; want %s", found, err, id)
	}
	for _, other := range []sms.Outbound{
		{From: m.From, To: m.To, Body: "Hi Bob"},
		{From: "+12025550199", To: m.To, Body: m.Body},
	} {
		if found, _ := second.Lookup(ctx, other, since); len(found) != 0 {
			t.Fatalf("lookup of %+v found %+v", other, found)
		}
	}
	if found, _ := second.Lookup(ctx, m, time.Now().Add(time.Hour)); len(found) != 0 {
		t.Fatalf("lookup after the send found %+v", found)
	}
	// A repeated idempotency key returns the first id and is journalled as a repeat.
	again, err := second.Send(ctx, m)
	if err != nil || again != id {
		t.Fatalf("repeat send = %s, %v", again, err)
	}
	entries, err := ReadJournal(path)
	if err != nil || len(entries) != 2 || entries[0].Repeat || !entries[1].Repeat {
		t.Fatalf("journal = %+v, %v", entries, err)
	}
}

// TestUnsyncedJournalKeepsEveryRecord: without a sync per Send the journal
// still holds every text once the network is closed (the load driver reads
// it only then).
func TestUnsyncedJournalKeepsEveryRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sent.jsonl")
	n := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	if err := n.UseJournal(path); err != nil {
		t.Fatal(err)
	}
	n.UnsyncedJournal()
	for i := range 3 {
		if _, err := n.Send(context.Background(), sms.Outbound{From: "+12025550100", To: fmt.Sprintf("+1212555010%d", i), Body: "Hi"}); err != nil {
			t.Fatal(err)
		}
	}
	n.Close()
	entries, err := ReadJournal(path)
	if err != nil || len(entries) != 3 || entries[2].To != "+12125550102" {
		t.Fatalf("journal = %+v, %v; want the 3 texts", entries, err)
	}
}

func TestReadJournalSkipsTornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sent.jsonl")
	if err := os.WriteFile(path, []byte(`{"id":"SM1","key":"k","from":"+1","to":"+2","body":"b","at":"2026-01-01T00:00:00Z"}`+"\n"+`{"id":"SM2","ke`), 0o600); err != nil {
		t.Fatal(err)
	}
	entries, err := ReadJournal(path)
	if err != nil || len(entries) != 1 || entries[0].ID != "SM1" {
		t.Fatalf("entries = %+v, %v", entries, err)
	}
	if entries, err := ReadJournal(filepath.Join(t.TempDir(), "none")); err != nil || len(entries) != 0 {
		t.Fatalf("missing journal: %+v, %v", entries, err)
	}
}

// A server killed in the middle of a journal write leaves a torn last line
// (Send never returned: the text did not go out). The next process must not
// append its first record onto that fragment, where neither reader could
// parse it: the text would have gone out with no trace, and a crash lookup
// would not find it either.
func TestJournalAfterTornLineKeepsNextSend(t *testing.T) {
	first := `{"id":"SM1","key":"k1","from":"+12025550100","to":"+12125550101","body":"Hi Ada","at":"2026-01-01T00:00:00Z"}` + "\n"
	t.Run("after whole lines", func(t *testing.T) { checkSendAfterTornLine(t, first, []string{"SM1"}) })
	// Killed while writing the very first line.
	t.Run("alone", func(t *testing.T) { checkSendAfterTornLine(t, "", nil) })
}

func checkSendAfterTornLine(t *testing.T, whole string, wantBefore []string) {
	path := filepath.Join(t.TempDir(), "sent.jsonl")
	if err := os.WriteFile(path, []byte(whole+`{"id":"SM2","key":"k2","from":"+1202`), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	if err := n.UseJournal(path); err != nil {
		t.Fatal(err)
	}
	m := sms.Outbound{From: "+12025550100", To: "+12125550102", Body: "Hi Bob", IdempotencyKey: "k2"}
	id, err := n.Send(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	n.Close()
	entries, err := ReadJournal(path)
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.ID)
	}
	if want := append(wantBefore, id); err != nil || !slices.Equal(ids, want) || entries[len(entries)-1].Key != "k2" {
		t.Fatalf("journal = %+v, %v; want ids %v", entries, err, want)
	}
	// A restart after that finds the text, so it is not sent again.
	again := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	defer again.Close()
	if err := again.UseJournal(path); err != nil {
		t.Fatal(err)
	}
	found, err := again.Lookup(ctx, m, time.Time{})
	if err != nil || len(found) != 1 || found[0].ProviderID != id {
		t.Fatalf("lookup after restart = %+v, %v; want %s", found, err, id)
	}
}

func TestReadJournalRefusesDamagedLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sent.jsonl")
	line := `{"id":"SM1","key":"k","from":"+1","to":"+2","body":"b","at":"2026-01-01T00:00:00Z"}` + "\n"
	if err := os.WriteFile(path, []byte(line+`{"id":"SM2","ke`+line), 0o600); err != nil {
		t.Fatal(err)
	}
	if entries, err := ReadJournal(path); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("entries = %+v, %v; want an error naming line 2", entries, err)
	}
	n := New(Config{}, zerolog.Nop())
	defer n.Close()
	if err := n.UseJournal(path); err == nil {
		t.Fatal("UseJournal accepted a damaged journal")
	}
}

// FuzzJournal: whatever a killed process left in the journal, a journal
// the network accepts keeps every whole record and the next Send.
func FuzzJournal(f *testing.F) {
	whole := `{"id":"SM1","key":"k1","from":"+12025550100","to":"+12125550101","body":"Hi Ada","at":"2026-01-01T00:00:00Z"}` + "\n"
	f.Add([]byte(whole))
	f.Add([]byte(whole + `{"id":"SM2","ke`))
	f.Add([]byte(`{"id":"SM2"`))
	f.Add([]byte(whole + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "sent.jsonl")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		before, err := ReadJournal(path)
		if err != nil {
			return
		}
		n := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
		defer n.Close()
		if err := n.UseJournal(path); err != nil {
			t.Fatalf("ReadJournal accepted the journal but UseJournal did not: %v", err)
		}
		id, err := n.Send(context.Background(), sms.Outbound{From: "+12025550100", To: "+12125550102", Body: "Hi", IdempotencyKey: "fuzz-new"})
		if err != nil {
			t.Fatal(err)
		}
		after, err := ReadJournal(path)
		if err != nil || len(after) != len(before)+1 || after[len(before)].ID != id {
			t.Fatalf("after a send the journal holds %d records (%v), want the %d before and %s", len(after), err, len(before), id)
		}
	})
}
