package simnet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// JournalFile is the journal's name in the data directory of `textbankd
// serve --provider sim`, where a restarted server finds it again and the
// load driver's --target checks read it.
const JournalFile = "simnet-sent.jsonl"

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
// for texts sent before the restart (Lookup for all of them, the latest
// keepSent from memory and older ones from the file; idempotent sends for
// the latest keepSent). The kill test reads the same file.
//
// A process killed in the middle of a journal write (SIGKILL can cut a
// write at a page boundary) leaves a torn last line: that Send never
// returned, so the text did not go out. The torn bytes are cut off before
// anything is appended; appended after them, the next record would share
// their line, and neither reader could parse it: a text that went out
// would leave no trace, and a crash lookup would send it again.
func (n *Network) UseJournal(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("simnet: open journal: %w", err)
	}
	end, err := cutTornTail(f)
	if err != nil {
		f.Close()
		return fmt.Errorf("simnet: journal %s: %w", path, err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	// Only the latest texts stay in memory (recent.go); Lookup reads the
	// journal for older ones.
	if err := scanJournal(context.Background(), path, 0, nil, func(r record, off int64) {
		n.index.note(off, r.At, n.recent.keep)
		if !r.Repeat {
			n.rememberLocked(r)
		}
	}); err != nil {
		f.Close()
		return err
	}
	n.journal, n.journalEnd, n.journalPath = f, end, path
	return nil
}

// JournalInfo describes the journal file the network has open, read from
// its handle (fstat), not its path: a watcher comparing the path's file
// with it later sees a file swapped in after the network opened it, which
// one it stat'ed by path a moment later would take for the network's own.
func (n *Network) JournalInfo() (os.FileInfo, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.journal == nil {
		return nil, errors.New("simnet: no journal open")
	}
	return n.journal.Stat()
}

// UnsyncedJournal stops syncing the journal after each Send: for a run
// in which the network's process is never killed (the load driver's own
// server, where the journal is read only after Close), an fsync per text
// under the network's lock is the stand-in's cost, not the server's.
func (n *Network) UnsyncedJournal() {
	n.mu.Lock()
	n.noSync = true
	n.mu.Unlock()
}

// cutTornTail truncates f after its last newline and returns the new size.
func cutTornTail(f *os.File) (int64, error) {
	size, end, err := lastLineEnd(f)
	if err != nil {
		return 0, err
	}
	if end == size {
		return size, nil
	}
	if err := f.Truncate(end); err != nil {
		return 0, fmt.Errorf("cut torn last line: %w", err)
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("cut torn last line: %w", err)
	}
	return end, nil
}

// lastLineEnd is f's size, and the offset just past its last newline (0
// if it has none).
func lastLineEnd(f *os.File) (size, end int64, err error) {
	info, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	size = info.Size()
	end = size
	buf := make([]byte, 4096)
	for end > 0 {
		chunk := min(end, int64(len(buf)))
		if _, err := f.ReadAt(buf[:chunk], end-chunk); err != nil {
			return 0, 0, fmt.Errorf("read tail: %w", err)
		}
		if i := bytes.LastIndexByte(buf[:chunk], '\n'); i >= 0 {
			return size, end - chunk + int64(i) + 1, nil
		}
		end -= chunk
	}
	return size, 0, nil
}

// JournalMark is where a journal ended when JournalEnd noted it, and
// which file it was, for ReadJournalFrom to read the lines written since.
type JournalMark struct {
	end  int64
	file os.FileInfo // nil: no journal yet, or ReadJournal's mark
	head []byte      // its first line, with its newline; nil when it had none
}

// End is the offset the mark's lines begin at.
func (m JournalMark) End() int64 { return m.end }

// JournalEnd marks the end of the last whole line of the journal at path
// (0 if there is none yet): where the lines a running network writes from
// now on begin, for ReadJournalFrom to read only those. It reads the
// journal's first and last bytes, not its lines: a line being written as
// it looks is left after it. The load driver notes it at a run's start
// (the network's own position index is in its server's memory).
func JournalEnd(path string) (JournalMark, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return JournalMark{}, nil
	}
	if err != nil {
		return JournalMark{}, fmt.Errorf("simnet: journal: %w", err)
	}
	defer f.Close()
	_, end, err := lastLineEnd(f)
	if err != nil {
		return JournalMark{}, fmt.Errorf("simnet: journal %s: %w", path, err)
	}
	// The file is noted even with no line in it yet (a target that has
	// sent nothing): another journal moved into its place during a run is
	// then refused too, not read whole as the run's texts.
	fi, err := f.Stat()
	if err != nil {
		return JournalMark{}, fmt.Errorf("simnet: journal %s: %w", path, err)
	}
	if end == 0 {
		return JournalMark{file: fi}, nil
	}
	head, err := firstLine(f, end)
	if err != nil {
		return JournalMark{}, fmt.Errorf("simnet: journal %s: %w", path, err)
	}
	return JournalMark{end: end, file: fi, head: head}, nil
}

// firstLine is f's first line, which ends at or before end.
func firstLine(f *os.File, end int64) ([]byte, error) {
	line, err := bufio.NewReader(io.NewSectionReader(f, 0, end)).ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("read first line: %w", err)
	}
	return line, nil
}

// JournalEntry is one line of a journal, for tests and tools.
type JournalEntry = record

func (n *Network) writeJournalLocked(r record) error {
	if n.journal == nil {
		return nil
	}
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("simnet: journal: %w", err)
	}
	line = append(line, '\n')
	if _, err := n.journal.Write(line); err != nil {
		// A partial write must not prefix the next record's line.
		if terr := n.journal.Truncate(n.journalEnd); terr != nil {
			err = errors.Join(err, terr)
		}
		return fmt.Errorf("simnet: journal: %w", err)
	}
	n.index.note(n.journalEnd, r.At, n.recent.keep)
	n.journalEnd += int64(len(line))
	if n.noSync {
		return nil
	}
	if err := n.journal.Sync(); err != nil {
		return fmt.Errorf("simnet: journal: %w", err)
	}
	return nil
}

// CreatesAtOnce says a call's text is in the network's log when the call
// ends, however it ends: the network runs in the server's own process, so
// a crash cut both at once. A server looks up the texts a crash left
// sending without first waiting for creates still on their way.
func (n *Network) CreatesAtOnce() bool { return true }
