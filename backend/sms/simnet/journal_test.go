package simnet

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
)

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

// TestJournalEndThenReadFrom: JournalEnd is where the lines written after
// it begin, a line being written as it looks left after it, and
// ReadJournalFrom reads those lines alone; no journal yet ends at 0.
func TestJournalEndThenReadFrom(t *testing.T) {
	path := filepath.Join(t.TempDir(), JournalFile)
	if end, err := JournalEnd(path); err != nil || end.End() != 0 {
		t.Fatalf("no journal: end %d, %v; want 0", end.End(), err)
	}
	line := func(key string) string {
		b, err := json.Marshal(record{ID: newID(), Key: key, From: volunteer, To: contact, Body: "Hi"})
		if err != nil {
			t.Fatal(err)
		}
		return string(b) + "\n"
	}
	before, writing := line("before"), line("writing")
	if err := os.WriteFile(path, []byte(before+writing[:20]), 0o600); err != nil {
		t.Fatal(err)
	}
	end, err := JournalEnd(path)
	if err != nil || end.End() != int64(len(before)) {
		t.Fatalf("end %d, %v; want %d, before the line being written", end.End(), err, len(before))
	}
	if err := os.WriteFile(path, []byte(before+writing+line("after")), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJournalFrom(path, end)
	if err != nil || len(got) != 2 || got[0].Key != "writing" || got[1].Key != "after" {
		t.Fatalf("read from %d = %+v, %v; want the lines writing and after", end.End(), got, err)
	}
}

// TestReadJournalFromAnotherJournal: an offset noted in one journal, read
// in another put in its place (a target's --data reset during a run), is
// refused as replaced, whether the other is shorter, lands the offset
// mid-line (a longer one was said to be damaged at the offset), or has a
// line ending there (it was read from there silently).
func TestReadJournalFromAnotherJournal(t *testing.T) {
	dir := t.TempDir()
	line := func(key, body string) string {
		b, err := json.Marshal(record{ID: newID(), Key: key, From: volunteer, To: contact, Body: body})
		if err != nil {
			t.Fatal(err)
		}
		return string(b) + "\n"
	}
	path := filepath.Join(dir, JournalFile)
	if err := os.WriteFile(path, []byte(line("m1", "Hi")+line("m2", "Hi")), 0o600); err != nil {
		t.Fatal(err)
	}
	end, err := JournalEnd(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"shorter":         line("n1", "Hi"),
		"mid-line":        line("n1", strings.Repeat("a text longer than both lines before ", 10)) + line("n2", "Hi"),
		"on a line's end": line("n1", "Hi") + line("n2", "Hi") + line("n3", "Hi"),
	} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if got, err := ReadJournalFrom(path, end); err == nil || !strings.Contains(err.Error(), "replaced") {
			t.Errorf("%s: read from %d = %+v, %v; want it refused as replaced", name, end.End(), got, err)
		}
	}
}

// TestReadJournalFromAnotherJournalAfterAnEmptyOne: a journal with no
// line yet when its end was noted (a --target that had sent nothing) is
// known by its file as well: another journal moved into its place is
// refused as replaced, where it was read whole, its texts counted as the
// run's; the one noted, written to since, is read from its start.
func TestReadJournalFromAnotherJournalAfterAnEmptyOne(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, JournalFile)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	end, err := JournalEnd(path)
	if err != nil || end.End() != 0 {
		t.Fatalf("empty journal: end %d, %v; want 0", end.End(), err)
	}
	line, err := json.Marshal(record{ID: newID(), Key: "after", From: volunteer, To: contact, Body: "Hi"})
	if err != nil {
		t.Fatal(err)
	}
	line = append(line, '\n')
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(line); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if got, err := ReadJournalFrom(path, end); err != nil || len(got) != 1 || got[0].Key != "after" {
		t.Fatalf("the journal noted, written to since: %+v, %v; want the line after", got, err)
	}
	other := filepath.Join(t.TempDir(), JournalFile)
	if err := os.WriteFile(other, line, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(other, path); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadJournalFrom(path, end); err == nil || !strings.Contains(err.Error(), "replaced") {
		t.Fatalf("another journal moved into the empty one's place: %+v, %v; want it refused as replaced", got, err)
	}
}
