package server_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// TestRepliesInOneGroup: replies that share one group commit (where, on
// PostgreSQL, the group reads all their routes ahead with one statement)
// each land in their own contact's thread, once, and each caller gets its
// own answer: a reply to a number that is not ours is refused, the
// others, a repeated delivery among them, are not.
func TestRepliesInOneGroup(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 6, numbers: 1, batch: 6})
	c, assigned, from := texted(t, f, cf, 6)

	// Hold the writer until every reply waits behind it: they then commit
	// as one group.
	release, holding := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		held <- f.srv.Write(ctx, func(store.Tx) error { close(holding); <-release; return nil })
	}()
	<-holding
	type reply struct {
		in      sms.Inbound
		refused bool
	}
	var replies []reply
	for i, a := range assigned {
		replies = append(replies, reply{in: sms.Inbound{ProviderID: fmt.Sprintf("SM-group-%d", i), From: a.Phone, To: from,
			Body: fmt.Sprintf("reply %d", i), ReceivedAt: f.clock.Now()}})
		if i == 1 {
			// Not our number: refused, in the middle of the group.
			replies = append(replies, reply{in: sms.Inbound{ProviderID: "SM-group-stranger", From: a.Phone, To: "+13125550199",
				Body: "wrong number", ReceivedAt: f.clock.Now()}, refused: true})
		}
		if i == 3 {
			// The same delivery twice.
			replies = append(replies, replies[len(replies)-1])
		}
	}
	errs := make([]error, len(replies))
	var wg sync.WaitGroup
	for i, r := range replies {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = f.srv.Receive(ctx, r.in) }()
	}
	for deadline := time.Now().Add(10 * time.Second); f.srv.WritesQueued() < len(replies); {
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued, want %d", f.srv.WritesQueued(), len(replies))
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	for i, r := range replies {
		if r.refused != errors.Is(errs[i], sms.ErrUnknownNumber) || !r.refused && errs[i] != nil {
			t.Errorf("reply %d (%s): %v, want refused %v", i, r.in.ProviderID, errs[i], r.refused)
		}
	}
	err := f.st.View(ctx, func(tx store.Tx) error {
		for i, a := range assigned {
			m, err := tx.MessageByProviderID(ctx, fmt.Sprintf("SM-group-%d", i))
			if err != nil {
				return fmt.Errorf("reply %d: %w", i, err)
			}
			if m.ThreadID != a.ContactID || m.Body != fmt.Sprintf("reply %d", i) {
				return fmt.Errorf("reply %d stored in thread %s as %q, want %s", i, m.ThreadID, m.Body, a.ContactID)
			}
		}
		if _, err := tx.MessageByProviderID(ctx, "SM-group-stranger"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("the refused reply: %v, want not stored", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Stored once: the thread of the repeated delivery holds its first
	// text and one reply.
	state := syncState{}
	syncAll(t, c, state, 0, 0)
	if msgs := state.messages(t, assigned[3].ContactID); len(msgs) != 2 {
		t.Fatalf("%d messages in the thread of the repeated reply, want 2", len(msgs))
	}
}
