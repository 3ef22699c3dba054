package simnet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/textbank/textbank/backend/sms"
)

// keepSent is how many of the latest texts the network holds in memory,
// for Sent, Lookup and idempotent sends. It used to hold every text, so a
// demo left running or a soak grew without bound (a few hundred bytes a
// text). Beyond them the journal, when there is one, answers Lookup; the
// load driver's and the kill test's exactly-once checks read the journal,
// which still has every text. A repeated idempotency key older than these
// is sent again, as a provider without idempotency would: the journal
// then has the key twice, which those checks count as a duplicate.
const keepSent = 10_000

// recentTexts is the network's bounded memory of what it sent: a ring of
// the latest records, oldest first from head once full.
type recentTexts struct {
	keep int // capacity: keepSent, lower in tests
	ring []record
	head int
	// forgotAt is the send time of the latest record dropped from the
	// ring (zero: none dropped): a Lookup since then may miss one.
	forgotAt time.Time
}

// rememberLocked adds r to the ring, dropping the oldest record (and its
// idempotency key) when the ring is full.
func (n *Network) rememberLocked(r record) {
	t := &n.recent
	if len(t.ring) < t.keep {
		t.ring = append(t.ring, r)
	} else {
		old := t.ring[t.head]
		if n.byKey[old.Key] == old.ID {
			delete(n.byKey, old.Key)
		}
		if old.At.After(t.forgotAt) {
			t.forgotAt = old.At
		}
		t.ring[t.head] = r
		t.head = (t.head + 1) % t.keep
	}
	if r.Key != "" {
		n.byKey[r.Key] = r.ID
	}
}

// eachLocked calls f with the records held, oldest first.
func (t *recentTexts) eachLocked(f func(record)) {
	for _, r := range t.ring[t.head:] {
		f(r)
	}
	for _, r := range t.ring[:t.head] {
		f(r)
	}
}

// Sent returns a copy of the latest texts sent (up to keepSent), oldest
// first.
func (n *Network) Sent() []sms.Outbound {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]sms.Outbound, 0, len(n.recent.ring))
	n.recent.eachLocked(func(r record) {
		out = append(out, sms.Outbound{From: r.From, To: r.To, Body: r.Body, IdempotencyKey: r.Key})
	})
	return out
}

// Lookup lists the texts sent from m.From to m.To with m.Body at or after
// since, like a provider's message log. Texts older than the latest
// keepSent are read from the journal, from about since on (journalIndex);
// a network without one (the app's demo, tests) has forgotten them.
func (n *Network) Lookup(ctx context.Context, m sms.Outbound, since time.Time) ([]sms.Sent, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("simnet: lookup: %w", err)
	}
	var out []sms.Sent
	match := func(r record, _ int64) {
		if !r.Repeat && r.From == m.From && r.To == m.To && r.Body == m.Body && !r.At.Before(since) {
			out = append(out, sms.Sent{ProviderID: r.ID, Status: sms.StatusSent})
		}
	}
	n.mu.Lock()
	path := n.journalPath
	if path == "" || n.recent.forgotAt.IsZero() || n.recent.forgotAt.Before(since) {
		defer n.mu.Unlock()
		n.recent.eachLocked(func(r record) { match(r, 0) })
		return out, nil
	}
	from := n.index.from(since)
	n.mu.Unlock()
	// Lookups are rare (texts a crash or a lost lease left sending), and
	// the journal only grows: it is read without holding up Sends. Only
	// the lines with the contact's number, as the journal writes it
	// (quoted, so not a longer number that begins with it), are decoded:
	// a lookup reads a minute and more of every contact's texts, and
	// decoding each line was most of its time.
	quoted, err := json.Marshal(m.To)
	if err != nil {
		return nil, fmt.Errorf("simnet: lookup: %w", err)
	}
	if err := scanJournal(ctx, path, from, quoted, match); err != nil {
		return nil, fmt.Errorf("simnet: lookup: %w", err)
	}
	return out, nil
}

// ReadJournal reads a journal file; a torn last line (the process died
// while writing it, before Send returned) is ignored. Any other line that
// does not parse is an error: it would hide a text that went out.
func ReadJournal(path string) ([]JournalEntry, error) {
	return ReadJournalFrom(path, JournalMark{})
}

// JournalHolds reports whether the journal at path holds the text whose
// provider id is id. As Lookup reads it, only the lines holding the id's
// bytes are decoded: the journal is read through once, never held.
func JournalHolds(ctx context.Context, path, id string) (bool, error) {
	quoted, err := json.Marshal(id)
	if err != nil {
		return false, fmt.Errorf("simnet: journal: %w", err)
	}
	held := false
	err = scanJournal(ctx, path, 0, quoted, func(r record, _ int64) { held = held || r.ID == id })
	return held, err
}

// ReadJournalFrom is ReadJournal from mark on (as JournalEnd gives): the
// lines written since it was noted. Another journal put in its place is
// an error, however its lines fall: another file (moved there), one
// shorter than the mark, or with no line ending just before it (a longer
// one was said to be damaged at the mark, mid-line, its first part of a
// line read as a line), or with another first line (one rewritten in
// place whose line ends where the mark's did: its earlier texts would be
// counted as never sent).
func ReadJournalFrom(path string, mark JournalMark) ([]JournalEntry, error) {
	if mark.file != nil {
		if err := sameJournal(path, mark); err != nil {
			return nil, err
		}
	}
	var out []JournalEntry
	err := scanJournal(context.Background(), path, mark.end, nil, func(r record, _ int64) { out = append(out, r) })
	return out, err
}

// sameJournal refuses a journal at path that is not the one mark was
// noted in.
func sameJournal(path string, mark JournalMark) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("simnet: read journal: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("simnet: read journal: %w", err)
	}
	if mark.file != nil && !os.SameFile(fi, mark.file) {
		return fmt.Errorf("simnet: journal %s is another file than when its end was noted: replaced since", path)
	}
	off := mark.end
	if fi.Size() < off {
		return fmt.Errorf("simnet: journal %s holds %d bytes, fewer than the %d it held before: replaced or cut since", path, fi.Size(), off)
	}
	if off == 0 {
		return nil // no line noted: the file is all there is to compare
	}
	var b [1]byte
	if _, err := f.ReadAt(b[:], off-1); err != nil {
		return fmt.Errorf("simnet: read journal: %w", err)
	}
	if b[0] != '\n' {
		return fmt.Errorf("simnet: journal %s has no line ending at byte %d, where one ended before: replaced since", path, off)
	}
	if mark.head != nil {
		head, err := firstLine(f, off)
		if err != nil {
			return fmt.Errorf("simnet: read journal: %w", err)
		}
		if !bytes.Equal(head, mark.head) {
			return fmt.Errorf("simnet: journal %s begins with another line than when its end was noted: replaced since", path)
		}
	}
	return nil
}

// scanCheckEvery is how many lines scanJournal reads between looks at its
// context: a lookup gives up at its deadline, not at the journal's end.
const scanCheckEvery = 1024

// scanJournal calls f with each record of the journal at path from offset
// from (where a line begins) on, in order, and the offset of its line, as
// ReadJournal reads them, without holding them all. With want, a line
// without those bytes is passed over undecoded (and unchecked: UseJournal
// read every line at the start, and the network wrote those since). A
// missing journal has none.
func scanJournal(ctx context.Context, path string, from int64, want []byte, f func(r record, off int64)) error {
	file, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("simnet: read journal: %w", err)
	}
	defer file.Close()
	if _, err := file.Seek(from, io.SeekStart); err != nil {
		return fmt.Errorf("simnet: read journal: %w", err)
	}
	br := bufio.NewReaderSize(file, 64<<10)
	off := from
	var long []byte // a line longer than br's buffer, gathered
	for lineNo := 1; ; lineNo++ {
		if lineNo%scanCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("simnet: read journal: %w", err)
			}
		}
		// A slice of br's buffer, valid until the next read: no copy of
		// each line.
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if errors.Is(err, io.EOF) {
			// No newline: empty, or a torn last line.
			return nil
		}
		if err != nil {
			return fmt.Errorf("simnet: read journal: %w", err)
		}
		if want != nil && !bytes.Contains(line, want) {
			off += int64(len(line))
			continue
		}
		var r record
		if err := json.Unmarshal(line, &r); err != nil {
			if from > 0 { // lines before from were not counted
				return fmt.Errorf("simnet: journal %s is damaged at byte %d: %w", path, off, err)
			}
			return fmt.Errorf("simnet: journal %s line %d is damaged: %w", path, lineNo, err)
		}
		f(r, off)
		off += int64(len(line))
	}
}
