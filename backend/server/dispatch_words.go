package server

import (
	"context"
	"fmt"
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
// sameWords tracks both for this server's calls, by the words' key; on a
// store several servers share, the database says which texts with the
// same words another server has sending (store.Outbox.SameWordsElsewhere):
// a call of its may be under way or answered for any of them (quietWords).
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

// busy says whether a call with o's words is under way.
func (w *sameWords) busy(o store.Outgoing) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.calls[keyOf(o)] > 0
}

// quiet waits until no call with o's words is under way (each ends within
// providerWait), or ctx ends.
func (w *sameWords) quiet(ctx context.Context, o store.Outgoing) error {
	for w.busy(o) {
		if !pause(ctx, wordsPoll) {
			return ctx.Err()
		}
	}
	return nil
}

// elsewherePoll spaces a waiting lookup's reads of the database: another
// server's text is recorded a round trip or more after its call ends.
const elsewherePoll = 50 * time.Millisecond

// quietWords waits until no text with o's words is in flight here or at
// another server (sendingElsewhere), or ctx ends: those of this server
// end within providerWait, another's once that server records them. The
// database cannot tell a call under way from a text still waiting for
// one, so a lookup may wait out its bound (and its text be marked
// unknown) for words another server has pending; never take their text.
func (s *Server) quietWords(ctx context.Context, o store.Outgoing) error {
	for {
		if err := s.words.quiet(ctx, o); err != nil {
			return err
		}
		busy, err := s.sendingElsewhere(ctx, o)
		if err != nil || !busy {
			return err
		}
		s.elsewhereWaits.Add(1)
		if !pause(ctx, elsewherePoll) {
			return ctx.Err()
		}
	}
}

// wordsBusy says whether a text with o's words is in flight, here or at
// another server.
func (s *Server) wordsBusy(ctx context.Context, o store.Outgoing) (bool, error) {
	if s.words.busy(o) {
		return true, nil
	}
	return s.sendingElsewhere(ctx, o)
}

// sendingElsewhere asks the database whether another server has a text
// with o's words sending: only lookups ask, never the send path.
func (s *Server) sendingElsewhere(ctx context.Context, o store.Outgoing) (bool, error) {
	var busy bool
	err := s.store.View(ctx, func(tx store.Tx) (err error) {
		busy, err = tx.SameWordsElsewhere(ctx, o)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("texts with the same words at other servers: %w", err)
	}
	return busy, nil
}
