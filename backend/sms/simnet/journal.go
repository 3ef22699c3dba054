package simnet

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/textbank/textbank/backend/sms"
)

// record is one text the network accepted, as Lookup and the journal see it.
type record struct {
	ID     string    `json:"id"`
	Key    string    `json:"key,omitempty"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	Body   string    `json:"body"`
	At     time.Time `json:"at"`
	Repeat bool      `json:"repeat,omitempty"` // a Send repeating an idempotency key
}

// UseJournal makes the network remember what it sent in a file (one JSON
// line per Send, synced before Send returns), as a real provider remembers
// across a restart of our server: Lookup and idempotent sends then answer
// for texts sent before the restart. The kill test reads the same file.
func (n *Network) UseJournal(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("simnet: open journal: %w", err)
	}
	recs, err := ReadJournal(path)
	if err != nil {
		f.Close()
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, r := range recs {
		if r.Repeat {
			continue
		}
		n.records = append(n.records, r)
		if r.Key != "" {
			n.byKey[r.Key] = r.ID
		}
	}
	n.journal = f
	return nil
}

// JournalEntry is one line of a journal, for tests and tools.
type JournalEntry = record

// ReadJournal reads a journal file; a torn last line (the process died
// while writing it, before Send returned) is ignored.
func ReadJournal(path string) ([]JournalEntry, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("simnet: read journal: %w", err)
	}
	defer f.Close()
	var out []JournalEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			continue
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

func (n *Network) writeJournalLocked(r record) error {
	if n.journal == nil {
		return nil
	}
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("simnet: journal: %w", err)
	}
	if _, err := n.journal.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("simnet: journal: %w", err)
	}
	if err := n.journal.Sync(); err != nil {
		return fmt.Errorf("simnet: journal: %w", err)
	}
	return nil
}

// Lookup lists the texts sent from m.From to m.To with m.Body at or after
// since, like a provider's message log.
func (n *Network) Lookup(ctx context.Context, m sms.Outbound, since time.Time) ([]sms.Sent, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("simnet: lookup: %w", err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []sms.Sent
	for _, r := range n.records {
		if r.From == m.From && r.To == m.To && r.Body == m.Body && !r.At.Before(since) {
			out = append(out, sms.Sent{ProviderID: r.ID, Status: sms.StatusSent})
		}
	}
	return out, nil
}
