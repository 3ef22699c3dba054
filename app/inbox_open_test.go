package app

import (
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/client"
)

// openRecorder is the desktop shell's side of SetOpenThread.
type openRecorder struct {
	mu   sync.Mutex
	open string
}

func (o *openRecorder) OnEvent(client.Event) {}
func (o *openRecorder) SetOpenThread(id string) {
	o.mu.Lock()
	o.open = id
	o.mu.Unlock()
}

// TestSetOpenThreadNewestWins: Wails runs each bound call on a goroutine
// of its own, so J/K's "A, none, B" may arrive in any order; the thread on
// screen is the one of the newest call, whichever ran last.
func TestSetOpenThreadNewestWins(t *testing.T) {
	c, err := client.New(client.Config{DataDir: t.TempDir(), ServerURL: "http://127.0.0.1:9", Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	for range 200 {
		rec := &openRecorder{}
		core := &Core{Client: c, Log: zerolog.Nop()}
		core.SetDesktop(rec)
		in := NewInbox(core)
		var wg sync.WaitGroup
		// Started newest first, the worst order for "last to run wins".
		for i, id := range []string{"B", "", "A"} {
			wg.Add(1)
			go func() { defer wg.Done(); in.SetOpenThread(id, 3-i) }()
		}
		wg.Wait()
		if rec.open != "B" || c.OpenThread() != "B" {
			t.Fatalf("the shell has %q and the client %q open, want B (the newest call)", rec.open, c.OpenThread())
		}
	}
}
