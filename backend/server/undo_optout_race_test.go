package server_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms"
)

// TestStopRacingUndoOptOutKeepsTheStop: a contact's STOP and an admin's
// Undo Opt Out of the same number's report opt-out, run at once, many
// times. Whichever commits first, the STOP is the contact's latest word:
// either the undo went first and the STOP opted the number out again, or
// the STOP went first and the undo was refused (the opt-out is the
// contact's now). Never an undo that erases a STOP received with it: the
// number always ends opted out, by the contact, its conversation with it.
// The order rests on the store's write lock (SQLite's BEGIN IMMEDIATE,
// PostgreSQL's), not on timing: the test holds on both engines.
func TestStopRacingUndoOptOutKeepsTheStop(t *testing.T) {
	const rounds = 24
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: rounds, numbers: 1, batch: rounds})
	vera, a, from := texted(t, f, cf, rounds)
	admin := f.adminClient()
	undone, refused := 0, 0
	for i := range rounds {
		reportOptOut(t, vera, a[i].ContactID, nil)
		read, err := admin.AdminThread(ctx, cf.campaign.ID, a[i].ContactID)
		if err != nil || read.OptOut == nil || !read.OptOut.Undoable {
			t.Fatalf("round %d: admin read %+v, %v: want a report's opt-out, undoable", i, read.OptOut, err)
		}
		f.clock.Advance(time.Second)
		var (
			wg               sync.WaitGroup
			undoErr, stopErr error
			start            = make(chan struct{})
		)
		wg.Go(func() {
			<-start
			_, undoErr = admin.UndoOptOut(ctx, cf.campaign.ID, a[i].ContactID, read.OptOut.At)
		})
		wg.Go(func() {
			<-start
			// The undo's HTTP round trip is the longer way: the STOP
			// starts a little later, more each round, so that both go
			// first some of the time, and some overlap.
			time.Sleep(time.Duration(i%8) * 250 * time.Microsecond)
			stopErr = f.srv.Receive(ctx, sms.Inbound{ProviderID: uuid.NewString(), From: a[i].Phone, To: from, Body: "STOP", ReceivedAt: f.clock.Now()})
		})
		close(start)
		wg.Wait()
		if stopErr != nil {
			t.Fatalf("round %d: receive STOP: %v", i, stopErr)
		}
		switch {
		case undoErr == nil:
			undone++
		case api.IsCode(undoErr, api.CodeOptedOutByContact), api.IsCode(undoErr, api.CodeOptedOutAgain):
			refused++
		default:
			t.Fatalf("round %d: undo: %v; want it done, or refused as the contact's opt-out", i, undoErr)
		}
		f.view(func(tx store.Tx) error {
			o, err := tx.OptOutOf(ctx, f.org.ID, a[i].Phone)
			if err != nil {
				t.Errorf("round %d (undo %v): the number is not opted out after the contact's STOP: %v", i, undoErr, err)
				return nil
			}
			if o.Source != store.OptOutContact {
				t.Errorf("round %d (undo %v): opt-out %+v, want the contact's (their STOP)", i, undoErr, o)
			}
			threads, err := tx.ThreadsByPhone(ctx, f.org.ID, a[i].Phone)
			for _, th := range threads {
				if !th.OptedOut {
					t.Errorf("round %d (undo %v): conversation %s not opted out after the STOP", i, undoErr, th.ID)
				}
			}
			return err
		})
	}
	if undone == 0 || refused == 0 {
		t.Logf("no race this time: the undo went first %d times, the STOP %d", undone, refused)
	}
	t.Logf("%d rounds: the undo went first %d times, the STOP %d", rounds, undone, refused)
}
