package simnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
)

// TestMemoryStaysBounded: a network that sent many times keepSent texts
// (a demo left running, a soak) holds only keepSent of them and their
// idempotency keys; it held every one.
func TestMemoryStaysBounded(t *testing.T) {
	n := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	defer n.Close()
	ctx := context.Background()
	const sends = 3 * keepSent
	for i := range sends {
		// A few conversations: the texts, not the contacts, are counted.
		m := sms.Outbound{From: volunteer, To: fmt.Sprintf("+1312555%04d", i%10), Body: "Hi", IdempotencyKey: fmt.Sprint("m", i)}
		if _, err := n.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	sent := n.Sent()
	n.mu.Lock()
	keys := len(n.byKey)
	n.mu.Unlock()
	if len(sent) != keepSent || keys != keepSent {
		t.Fatalf("after %d texts the network holds %d texts and %d keys, want %d", sends, len(sent), keys, keepSent)
	}
	if len(sent) != keepSent || sent[0].IdempotencyKey != fmt.Sprint("m", sends-keepSent) || sent[len(sent)-1].IdempotencyKey != fmt.Sprint("m", sends-1) {
		t.Fatalf("Sent holds %d texts, %s to %s; want the latest %d, oldest first", len(sent), sent[0].IdempotencyKey, sent[len(sent)-1].IdempotencyKey, keepSent)
	}
}

// TestForgottenTextsAreInTheJournal: a text no longer held in memory is
// still found by Lookup (read from the journal), before and after a
// restart; a network without a journal has forgotten it. A key no
// longer held sends again, and the journal shows the key twice.
func TestForgottenTextsAreInTheJournal(t *testing.T) {
	ctx := context.Background()
	since := time.Now().Add(-time.Minute)
	first := text(volunteer, contact, "the first text")
	first.IdempotencyKey = "m-first"
	fill := func(t *testing.T, n *Network) string {
		t.Helper()
		n.recent.keep = 3
		id, err := n.Send(ctx, first)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			if _, err := n.Send(ctx, text(volunteer, contact, fmt.Sprint("later ", i))); err != nil {
				t.Fatal(err)
			}
		}
		if got := len(n.Sent()); got != 3 {
			t.Fatalf("holds %d texts, want 3", got)
		}
		return id
	}
	found := func(t *testing.T, n *Network) []sms.Sent {
		t.Helper()
		got, err := n.Lookup(ctx, first, since)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	t.Run("journal", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), JournalFile)
		n := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
		if err := n.UseJournal(path); err != nil {
			t.Fatal(err)
		}
		id := fill(t, n)
		if got := found(t, n); len(got) != 1 || got[0].ProviderID != id {
			t.Fatalf("lookup of a text no longer in memory = %+v, want %s", got, id)
		}
		if got, _ := n.Lookup(ctx, first, time.Now().Add(time.Hour)); len(got) != 0 {
			t.Fatalf("lookup after the text found %+v", got)
		}
		n.Close()

		again := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
		defer again.Close()
		again.recent.keep = 3
		if err := again.UseJournal(path); err != nil {
			t.Fatal(err)
		}
		if held := len(again.Sent()); held != 3 {
			t.Fatalf("a restart holds %d texts of the journal's 6, want 3", held)
		}
		if got := found(t, again); len(got) != 1 || got[0].ProviderID != id {
			t.Fatalf("after a restart, lookup = %+v, want %s", got, id)
		}
		if resent, err := again.Send(ctx, first); err != nil || resent == id {
			t.Fatalf("a forgotten key = %s, %v; want a new text", resent, err)
		}
		entries, err := ReadJournal(path)
		if err != nil || len(entries) != 7 || entries[6].Key != first.IdempotencyKey || entries[6].Repeat {
			t.Fatalf("journal = %+v, %v; want the key sent again as a new text", entries, err)
		}
	})
	t.Run("no journal", func(t *testing.T) {
		n := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
		defer n.Close()
		fill(t, n)
		if got := found(t, n); len(got) != 0 {
			t.Fatalf("lookup without a journal = %+v, want nothing", got)
		}
		later := text(volunteer, contact, "later 4")
		if got, err := n.Lookup(ctx, later, since); err != nil || len(got) != 1 {
			t.Fatalf("lookup of a text in memory = %+v, %v", got, err)
		}
	})
}

// journalOf is a network with an unsynced journal in a test's directory,
// holding keep texts in memory, that has sent sent texts.
func journalOf(t *testing.T, keep, sent int) (*Network, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), JournalFile)
	n := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	t.Cleanup(func() { n.Close() })
	n.recent.keep = keep
	if err := n.UseJournal(path); err != nil {
		t.Fatal(err)
	}
	n.UnsyncedJournal()
	for i := range sent {
		if _, err := n.Send(context.Background(), text(volunteer, contact, fmt.Sprint("text ", i))); err != nil {
			t.Fatal(err)
		}
	}
	return n, path
}

// TestLookupReadsTheJournalFromItsTime: a lookup of a text no longer in
// memory reads the journal from about the time it asks from (at most a
// memory's worth of lines before), not from the first text ever sent; so
// does the network restarted on the journal. It read every line: a server
// recovering after a crash on a busy network read the whole journal for
// each text it left sending.
func TestLookupReadsTheJournalFromItsTime(t *testing.T) {
	const keep, sent, asked = 3, 300, 290
	n, path := journalOf(t, keep, sent)
	entries, err := ReadJournal(path)
	if err != nil || len(entries) != sent {
		t.Fatalf("journal: %d lines, %v", len(entries), err)
	}
	since := entries[asked].At
	skipped := func(t *testing.T, n *Network) {
		t.Helper()
		n.mu.Lock()
		from := n.index.from(since)
		n.mu.Unlock()
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		before := bytes.Count(raw[:from], []byte("\n"))
		if before < asked-3*keep || before > asked {
			t.Fatalf("a lookup from text %d of %d reads the journal from line %d; want at most %d lines before it", asked, sent, before, 3*keep)
		}
		got, err := n.Lookup(context.Background(), text(volunteer, contact, fmt.Sprint("text ", asked)), since)
		if err != nil || len(got) != 1 || got[0].ProviderID != entries[asked].ID {
			t.Fatalf("lookup = %+v, %v; want %s", got, err, entries[asked].ID)
		}
	}
	skipped(t, n)
	n.Close()

	again := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	defer again.Close()
	again.recent.keep = keep
	if err := again.UseJournal(path); err != nil {
		t.Fatal(err)
	}
	skipped(t, again)
}

// cancelsAfterFirstLook is a context whose Err is nil once, then
// Canceled: a deadline that passes while the journal is read.
type cancelsAfterFirstLook struct {
	context.Context
	looks int
}

func (c *cancelsAfterFirstLook) Err() error {
	c.looks++
	if c.looks > 1 {
		return context.Canceled
	}
	return nil
}

// TestLookupGivesUpAtItsDeadline: a lookup reading a long journal stops
// when its context ends (the server's providerWait), instead of reading
// on to the end while the recovery waits.
func TestLookupGivesUpAtItsDeadline(t *testing.T) {
	n, _ := journalOf(t, 3, 3*scanCheckEvery)
	ctx := &cancelsAfterFirstLook{Context: context.Background()}
	got, err := n.Lookup(ctx, text(volunteer, contact, "text 0"), time.Time{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("lookup with its context ended = %+v, %v; want %v", got, err, context.Canceled)
	}
}
