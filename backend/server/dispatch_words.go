package server

import (
	"context"
	"sync"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// Two texts of ours with the same words to one contact match the same
// provider texts in a lookup. A lookup must not take as its own a text the
// provider made for another call of this server's: one under way (the
// provider may have made the text, and our call not have its answer yet),
// or one answered and not yet recorded (no message holds its id yet).
// Either way the other text would then be recorded sent without its id,
// and the one looked up recorded sent though it may never have gone out.
// sameWords tracks both, by the words' key; a store several servers share
// still has the race between servers.
type sameWords struct {
	mu       sync.Mutex
	calls    map[wordsKey]int  // provider calls under way
	answered map[string]string // provider id → our message id, until recorded
}

type wordsKey struct{ from, to, body string }

func keyOf(o store.Outgoing) wordsKey { return wordsKey{o.From, o.To, o.Body} }

// begin counts a call for o under way.
func (w *sameWords) begin(o store.Outgoing) {
	w.mu.Lock()
	if w.calls == nil {
		w.calls = map[wordsKey]int{}
	}
	w.calls[keyOf(o)]++
	w.mu.Unlock()
}

// end counts o's call ended, with the provider's id for it if it answered.
func (w *sameWords) end(o store.Outgoing, providerID string) {
	w.mu.Lock()
	k := keyOf(o)
	if w.calls[k] <= 1 {
		delete(w.calls, k)
	} else {
		w.calls[k]--
	}
	if providerID != "" {
		if w.answered == nil {
			w.answered = map[string]string{}
		}
		w.answered[providerID] = o.ID
	}
	w.mu.Unlock()
}

// recorded forgets the answers of outs, now stored.
func (w *sameWords) recorded(outs []outcome) {
	w.mu.Lock()
	for _, r := range outs {
		if r.providerID != "" && w.answered[r.providerID] == r.o.ID {
			delete(w.answered, r.providerID)
		}
	}
	w.mu.Unlock()
}

// othersAnswer says whether providerID answered a call of another text.
func (w *sameWords) othersAnswer(providerID, messageID string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	id, ok := w.answered[providerID]
	return ok && id != messageID
}

// wordsPoll spaces the looks of a lookup waiting for calls with its words.
const wordsPoll = 10 * time.Millisecond

// quiet waits until no call with o's words is under way (each ends within
// providerWait), or ctx ends.
func (w *sameWords) quiet(ctx context.Context, o store.Outgoing) error {
	for {
		w.mu.Lock()
		busy := w.calls[keyOf(o)] > 0
		w.mu.Unlock()
		if !busy {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wordsPoll):
		}
	}
}
