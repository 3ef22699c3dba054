package loadtest

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// checkDB is a SQLite database holding soundRows, its text m1 sent (with
// a provider id), and two more texts of the same thread (action a1), m2
// and m3, that no volunteer of a run is told about.
func checkDB(t *testing.T) (string, store.Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "textbank.db")
	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows := append(append([]string(nil), soundRows...),
		`UPDATE messages SET provider_id = 'SM1' WHERE id = 'm1'`,
		`INSERT INTO messages (id, thread_id, direction, body, status, sender_id, provider_id, created_at) VALUES ('m2', 'k1', 'out', 'b', 'sent', 'u', 'SM2', '`+day+`')`,
		`INSERT INTO messages (id, thread_id, direction, body, status, sender_id, provider_id, created_at) VALUES ('m3', 'k1', 'out', 'c', 'sent', 'u', 'SM3', '`+day+`')`)
	for _, q := range rows {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if st, err = store.Open(t.Context(), path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return path, st
}

// writeJournal writes a network journal with one line per key.
func writeJournal(t *testing.T, keys ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), simnet.JournalFile)
	if err := os.WriteFile(path, []byte(journalLines(t, "SMj", keys...)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// appendJournal adds lines to the journal at path, as its network would.
func appendJournal(t *testing.T, path string, keys ...string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(journalLines(t, "SMk", keys...)); err != nil {
		t.Fatal(err)
	}
}

// journalLines are a journal's lines of texts of keys, their ids prefix
// and a letter.
func journalLines(t *testing.T, prefix string, keys ...string) string {
	t.Helper()
	var b strings.Builder
	for i, k := range keys {
		line, err := json.Marshal(simnet.JournalEntry{ID: prefix + string(rune('a'+i)), Key: k, From: "+12025550100", To: "+12125550101", Body: "x"})
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// markJournal is where the journal at path ends now.
func markJournal(t *testing.T, path string) simnet.JournalMark {
	t.Helper()
	mark, err := simnet.JournalEnd(path)
	if err != nil {
		t.Fatal(err)
	}
	return mark
}

func accepted(ids ...string) *recorder {
	r := newRecorder()
	for _, id := range ids {
		r.accept(id)
	}
	return r
}

// TestCheckCountsAnUnaskedDoubleAsDuplicated: in the run's own network's
// journal, a text no volunteer was told was accepted, sent twice, is
// unaccepted and duplicated both. It was once counted as unaccepted
// alone: the run failed, and its summary said duplicated=0.
func TestCheckCountsAnUnaskedDoubleAsDuplicated(t *testing.T) {
	path, st := checkDB(t)
	e := &env{dbPath: path, st: st, net: simnet.New(simnet.Config{}, zerolog.Nop()), journal: writeJournal(t, "m1", "x", "x")}
	var rep Report
	if err := e.check(t.Context(), &rep, accepted("m1"), nil); err != nil {
		t.Fatal(err)
	}
	if rep.Lost != 0 || rep.Unaccepted != 1 || rep.Duplicated != 1 || rep.DuplicatesUnchecked {
		t.Fatalf("lost %d, unaccepted %d, duplicated %d (unchecked %v); want 0, 1, 1",
			rep.Lost, rep.Unaccepted, rep.Duplicated, rep.DuplicatesUnchecked)
	}
	if !strings.Contains(rep.Summary(), "duplicated=1") {
		t.Errorf("summary %q", rep.Summary())
	}
}

// TestCheckTargetJournal: with --target, the target's own simulated
// network's journal (DATA/simnet-sent.jsonl) is read as the run's own
// network's is: an accepted text sent twice is duplicated, one of the
// run's action's texts sent unasked (twice) is unaccepted and duplicated.
// What the journal held before the run began (m3), and texts of no
// action of the run's (a key the database does not know), are not the
// run's to count. Before, the target's journal was never read and the
// summary said duplicated=0 all the same.
func TestCheckTargetJournal(t *testing.T) {
	path, st := checkDB(t)
	journal := writeJournal(t, "m3")
	from := markJournal(t, journal)
	appendJournal(t, journal, "m1", "m1", "m2", "ghost", "m2")
	e := &env{dbPath: path, st: st, target: true, targetJournal: journal, journalFrom: from, action: "a1"}
	var rep Report
	if err := e.check(t.Context(), &rep, accepted("m1"), nil); err != nil {
		t.Fatal(err)
	}
	if rep.Lost != 0 || rep.Duplicated != 2 || rep.Unaccepted != 1 || rep.DuplicatesUnchecked {
		t.Fatalf("lost %d, duplicated %d, unaccepted %d (unchecked %v); want 0, 2, 1",
			rep.Lost, rep.Duplicated, rep.Unaccepted, rep.DuplicatesUnchecked)
	}
	if !strings.Contains(rep.Checked, "target's simulated network's journal") {
		t.Errorf("checked: %s", rep.Checked)
	}
	// An accepted text the target's network never got is lost.
	rep = Report{}
	e.targetJournal = writeJournal(t, "m3")
	e.journalFrom = markJournal(t, e.targetJournal)
	if err := e.check(t.Context(), &rep, accepted("m1"), nil); err != nil {
		t.Fatal(err)
	}
	if rep.Lost != 1 || rep.Duplicated != 0 || rep.Unaccepted != 0 {
		t.Fatalf("lost %d, duplicated %d, unaccepted %d; want 1, 0, 0", rep.Lost, rep.Duplicated, rep.Unaccepted)
	}
}

// TestCheckTargetReadsOnlyTheRunsLines: the checks read the target's
// journal from where it ended when the run began, not from its first
// line: it holds every text the target ever sent (hundreds of MB after a
// soak), which the driver read whole twice, at the start to count its
// lines and again for the checks. The history here is a line no journal
// reader parses, which reading it would have stopped at. A journal
// shorter than when the run began is not the one the run began with.
func TestCheckTargetReadsOnlyTheRunsLines(t *testing.T) {
	path, st := checkDB(t)
	journal := filepath.Join(t.TempDir(), simnet.JournalFile)
	history := "history the driver has no need to read\n"
	if err := os.WriteFile(journal, []byte(history), 0o600); err != nil {
		t.Fatal(err)
	}
	e := &env{dbPath: path, st: st, target: true, targetJournal: journal, journalFrom: markJournal(t, journal), action: "a1"}
	appendJournal(t, journal, "m1")
	var rep Report
	if err := e.check(t.Context(), &rep, accepted("m1"), nil); err != nil {
		t.Fatal(err)
	}
	if rep.Lost != 0 || rep.Duplicated != 0 || rep.Unaccepted != 0 {
		t.Fatalf("lost %d, duplicated %d, unaccepted %d; want 0, 0, 0", rep.Lost, rep.Duplicated, rep.Unaccepted)
	}
	e.journalFrom = markJournal(t, journal)
	if err := os.Truncate(journal, int64(len(history))); err != nil {
		t.Fatal(err)
	}
	if err := e.check(t.Context(), &Report{}, accepted("m1"), nil); err == nil || !strings.Contains(err.Error(), "replaced or cut") {
		t.Fatalf("a journal shorter than at the start: %v, want it named replaced or cut", err)
	}
}

// TestCheckTargetRefusesAJournalSwappedOnALineEnd: a target's journal
// rewritten in place during a run (its --data reset, another journal
// copied over it), whose lines happen to end where the run's start noted
// its end, is refused as replaced, as one moved there is: it was read
// from that offset silently, and the run's texts before it counted lost.
func TestCheckTargetRefusesAJournalSwappedOnALineEnd(t *testing.T) {
	path, st := checkDB(t)
	journal := writeJournal(t, "h1", "h2")
	e := &env{dbPath: path, st: st, target: true, targetJournal: journal, journalFrom: markJournal(t, journal), action: "a1"}
	// Lines of the same lengths, then the run's text.
	if err := os.WriteFile(journal, []byte(journalLines(t, "SMx", "n1", "n2")), 0o600); err != nil {
		t.Fatal(err)
	}
	appendJournal(t, journal, "m1")
	if err := e.check(t.Context(), &Report{}, accepted("m1"), nil); err == nil || !strings.Contains(err.Error(), "replaced") {
		t.Fatalf("a journal rewritten in place: %v, want it named replaced", err)
	}
	// Another file moved into its place, the same lines and all.
	other := filepath.Join(t.TempDir(), simnet.JournalFile)
	content, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, content, 0o600); err != nil {
		t.Fatal(err)
	}
	e.journalFrom = markJournal(t, journal)
	if err := os.Rename(other, journal); err != nil {
		t.Fatal(err)
	}
	if err := e.check(t.Context(), &Report{}, accepted("m1"), nil); err == nil || !strings.Contains(err.Error(), "replaced") {
		t.Fatalf("another journal moved into its place: %v, want it named replaced", err)
	}
}

// TestCheckTargetWithoutJournal: a target that keeps no simulated
// network's journal (a real provider) is checked in its database alone,
// and the summary says the network's side was not: duplicated=unchecked,
// not a duplicated=0 that nothing counted.
func TestCheckTargetWithoutJournal(t *testing.T) {
	path, st := checkDB(t)
	e := &env{dbPath: path, st: st, target: true, action: "a1"}
	var rep Report
	if err := e.check(t.Context(), &rep, accepted("m1"), nil); err != nil {
		t.Fatal(err)
	}
	if rep.Lost != 0 || !rep.DuplicatesUnchecked {
		t.Fatalf("lost %d, unchecked %v; want 0, true", rep.Lost, rep.DuplicatesUnchecked)
	}
	if s := rep.Summary(); !strings.HasSuffix(s, " lost=0 duplicated=unchecked") {
		t.Errorf("summary %q", s)
	}
	if !strings.Contains(rep.Checked, "NOT the network") || !strings.Contains(rep.Checked, simnet.JournalFile) {
		t.Errorf("checked: %s", rep.Checked)
	}
}
