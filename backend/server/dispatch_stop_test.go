package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestDispatcherStopRequeuesWaitingTexts: a stopping dispatcher finishes
// the provider calls under way and puts the texts still waiting for a
// worker back in the queue (their provider was never called), instead of
// calling the provider for each of them first.
func TestDispatcherStopRequeuesWaitingTexts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 20, numbers: 1})
	_, u := f.member("vera", cf)
	var number string
	f.view(func(tx store.Tx) error {
		var err error
		number, err = tx.SendingNumber(ctx, cf.campaign.ID, u.ID)
		return err
	})
	gate := make(chan struct{})
	f.faults.mu.Lock()
	f.faults.gate = gate
	f.faults.mu.Unlock()
	ids := make([]string, len(cf.contacts))
	f.update(func(tx store.Tx) error {
		for i, ct := range cf.contacts {
			th := store.Thread{ID: ct.ID, ActionID: cf.action.ID, CampaignID: cf.campaign.ID, OrganizationID: f.org.ID,
				OwnerID: u.ID, ContactPhone: ct.Phone, SendingNumber: number, LastMessageAt: baseTime, CreatedAt: baseTime}
			if err := tx.CreateThread(ctx, th); err != nil {
				return err
			}
			ids[i] = uuid.NewString()
			if err := tx.CreateMessage(ctx, store.Message{ID: ids[i], ThreadID: ct.ID, Direction: api.DirOutbound,
				Body: "Hi " + ct.FirstName, Status: api.StatusQueued, Initial: true, SenderID: u.ID, CreatedAt: baseTime}); err != nil {
				return err
			}
		}
		return nil
	})
	// The dispatcher's poll claims them; its 8 workers each start a call,
	// held at the gate, and the other 12 wait for a worker.
	calls := func() int {
		f.faults.mu.Lock()
		defer f.faults.mu.Unlock()
		return f.faults.calls
	}
	deadline := time.Now().Add(10 * time.Second)
	for calls() < 8 {
		if time.Now().After(deadline) {
			t.Fatalf("%d provider calls began, want 8 (one a worker)", calls())
		}
		time.Sleep(5 * time.Millisecond)
	}
	f.stopDispatch()
	close(gate)
	select {
	case <-f.dispatched:
	case <-time.After(10 * time.Second):
		t.Fatal("the dispatcher did not stop")
	}
	if n := calls(); n != 8 {
		t.Fatalf("%d provider calls, want the 8 under way when it stopped", n)
	}
	count := map[string]int{}
	for _, id := range ids {
		count[messageStatus(t, f, id).Status]++
	}
	if count[api.StatusSent] != 8 || count[api.StatusQueued] != 12 {
		t.Fatalf("texts by status %v, want 8 sent and 12 queued again", count)
	}
}
