package simnet

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/sms"
)

// writeJournal writes lines journal records of texts to 5000 contacts from
// 4 numbers, sent 2 ms apart from start, and then extra.
func writeJournal(tb testing.TB, path string, lines int, start time.Time, extra ...record) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range lines {
		r := record{ID: newID(), Key: fmt.Sprint("m", i), From: fmt.Sprintf("+1202555018%d", i%4), To: fmt.Sprintf("+1312555%04d", i%5000),
			Body: fmt.Sprintf("Hi Contact %d, this is Ada with the Neighbors for Better Transit campaign. Can we count on your vote on Tuesday?", i),
			At:   start.Add(time.Duration(i) * 2 * time.Millisecond)}
		line, _ := json.Marshal(r)
		_, _ = w.Write(append(line, '\n'))
	}
	for _, r := range extra {
		line, _ := json.Marshal(r)
		_, _ = w.Write(append(line, '\n'))
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// openJournal is a network that holds keep texts in memory and the rest
// in the journal at path.
func openJournal(tb testing.TB, path string, keep int) *Network {
	tb.Helper()
	n := New(Config{Mix: Mix{Silent: 1}}, zerolog.Nop())
	tb.Cleanup(n.Close)
	n.recent.keep = keep
	if err := n.UseJournal(path); err != nil {
		tb.Fatal(err)
	}
	return n
}

// TestLookupInTheJournalFindsExactlyTheText: a lookup the journal answers
// (the text no longer in memory) lists the texts of that sender, contact
// and words sent since the time asked, and no other: not a repeated key,
// not one sent before, not the same words to another contact or from
// another number, not another text to the contact, not a contact whose
// number begins with the contact's, not a text whose words quote the
// contact's number.
func TestLookupInTheJournalFindsExactlyTheText(t *testing.T) {
	path := filepath.Join(t.TempDir(), JournalFile)
	start := time.Date(2026, 11, 3, 14, 0, 0, 0, time.UTC)
	const to, from, body = "+13125559999", "+12025550180", "Hi Ida, will you vote on Tuesday?"
	since := start.Add(30 * time.Second)
	at := since.Add(time.Second)
	want := []string{newID(), newID()} // sent twice, under two keys: both went out
	extra := []record{
		{ID: newID(), From: from, To: to, Body: body, At: since.Add(-time.Millisecond)}, // before since
		{ID: want[0], Key: "k1", From: from, To: to, Body: body, At: at},
		{ID: want[0], Key: "k1", From: from, To: to, Body: body, At: at, Repeat: true}, // the key again: nothing went out
		{ID: newID(), From: from, To: "+1312555999", Body: body, At: at},               // a number the contact's begins with
		{ID: newID(), From: from, To: "+131255599990", Body: body, At: at},             // and one that begins with it
		{ID: newID(), From: "+12025550181", To: to, Body: body, At: at},                // another sender
		{ID: newID(), From: from, To: to, Body: body + " ", At: at},                    // other words
		{ID: newID(), From: from, To: "+13125550001", Body: "text " + to + " back", At: at},
		{ID: newID(), Key: `"to":"` + to + `"`, From: from, To: "+13125550002", Body: `"to":"` + to + `"`, At: at},
		{ID: want[1], Key: "k2", From: from, To: to, Body: body, At: at.Add(time.Second)},
	}
	writeJournal(t, path, 40_000, start, extra...)
	n := openJournal(t, path, 100)
	n.mu.Lock()
	forgot := n.recent.forgotAt
	n.mu.Unlock()
	if !forgot.After(since) {
		t.Fatalf("the network holds texts since %v: the lookup would not read the journal", since)
	}
	got, err := n.Lookup(context.Background(), sms.Outbound{From: from, To: to, Body: body}, since)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range got {
		if s.Status != sms.StatusSent {
			t.Errorf("status %q, want sent", s.Status)
		}
		ids = append(ids, s.ProviderID)
	}
	if !slices.Equal(ids, want) {
		t.Fatalf("lookup = %v, want %v", ids, want)
	}
}

// BenchmarkLookupInTheJournal: a lookup the journal answers, from a minute
// and more of sends on a busy network (60,000 texts, the 2 ms apart of
// some 500 a second).
func BenchmarkLookupInTheJournal(b *testing.B) {
	path := filepath.Join(b.TempDir(), JournalFile)
	start := time.Date(2026, 11, 3, 14, 0, 0, 0, time.UTC)
	const lines = 60_000
	writeJournal(b, path, lines, start)
	n := openJournal(b, path, 1000)
	// The text sent first to a contact: everything after is read.
	m := sms.Outbound{From: "+12025550183", To: "+13125550007",
		Body: "Hi Contact 7, this is Ada with the Neighbors for Better Transit campaign. Can we count on your vote on Tuesday?"}
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		got, err := n.Lookup(ctx, m, start)
		if err != nil || len(got) != 1 {
			b.Fatalf("lookup = %v, %v; want the one text", got, err)
		}
	}
}
