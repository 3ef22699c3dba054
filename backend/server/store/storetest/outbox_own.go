package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testOutboxOwnSending: OwnSending pages through this server's sending
// texts oldest first, ties in id order, in a write transaction or a read,
// and lists no text queued, sent or received.
func testOutboxOwnSending(t *testing.T, st store.Store) {
	w := newWorld(t, st, "own", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	msgs := []store.Message{
		{ID: "own-q", Status: statusQueued, CreatedAt: at(time.Hour)},
		{ID: "own-c", Status: statusSending, CreatedAt: at(time.Hour)},
		{ID: "own-b", Status: statusSending, CreatedAt: at(2 * time.Hour)},
		{ID: "own-a", Status: statusSending, CreatedAt: at(2 * time.Hour)},
		{ID: "own-s", Status: statusSent, CreatedAt: at(3 * time.Hour)},
		{ID: "own-in", Status: statusRecv, Direction: dirIn, CreatedAt: at(3 * time.Hour)},
		{ID: "own-d", Status: statusSending, CreatedAt: at(4 * time.Hour)},
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, m := range msgs {
			m.ThreadID, m.Body, m.SenderID = th.ID, "hi", w.Volunteer.ID
			if m.Direction == "" {
				m.Direction = dirOut
			}
			if err := tx.CreateMessage(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	page := func(write bool, after store.SendingCursor, limit int) []store.Outgoing {
		t.Helper()
		var out []store.Outgoing
		fn := func(tx store.Tx) (err error) {
			out, err = tx.OwnSending(context.Background(), after, limit)
			return err
		}
		var err error
		if write {
			err = st.Update(context.Background(), fn)
		} else {
			err = st.View(context.Background(), fn)
		}
		if err != nil {
			t.Fatalf("OwnSending after %+v: %v", after, err)
		}
		return out
	}
	want := []string{"own-c", "own-a", "own-b", "own-d"}
	for _, write := range []bool{false, true} {
		if got := page(write, store.SendingCursor{}, 100); fmt.Sprint(outgoingIDs(got)) != fmt.Sprint(want) {
			t.Fatalf("OwnSending (write %v) = %v, want %v", write, outgoingIDs(got), want)
		}
		// Every page size, so that a page ends between the two texts of
		// one time too.
		for limit := 1; limit <= len(want); limit++ {
			var walked []string
			after := store.SendingCursor{}
			for range len(want) + 1 {
				got := page(write, after, limit)
				if len(got) == 0 {
					break
				}
				for _, o := range got {
					if o.From != th.SendingNumber || o.To != th.ContactPhone || o.OwnerID != w.Volunteer.ID || o.Status != statusSending {
						t.Fatalf("OwnSending listed %+v, want the thread's numbers, owner and sending", o)
					}
					walked = append(walked, o.ID)
				}
				last := got[len(got)-1]
				after = store.SendingCursor{CreatedAt: last.CreatedAt, ID: last.ID}
			}
			if fmt.Sprint(walked) != fmt.Sprint(want) {
				t.Fatalf("OwnSending in pages of %d (write %v) = %v, want %v", limit, write, walked, want)
			}
		}
	}
}
