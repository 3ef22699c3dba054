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

// testOutboxSameWordsOwn: SameWordsElsewhere counts no text of this
// server's own, sending or not, in a write transaction or a read: the
// dispatcher knows its own calls, and a lookup must not wait on texts only
// it can send (PostgreSQL's test of another server's texts is
// TestSameWordsElsewhere).
func testOutboxSameWordsOwn(t *testing.T, st store.Store) {
	w := newWorld(t, st, "words", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for i, m := range []store.Message{
			{ID: "words-a", Status: statusSending},
			{ID: "words-b", Status: statusSending},
			{ID: "words-q", Status: statusQueued},
			{ID: "words-s", Status: statusSent, ProviderID: "SMwords"},
		} {
			m.ThreadID, m.Body, m.SenderID, m.Direction, m.CreatedAt = th.ID, "See you Tuesday", w.Volunteer.ID, dirOut, at(time.Duration(i)*time.Minute)
			if err := tx.CreateMessage(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	o := store.Outgoing{Message: store.Message{ID: "words-a", Body: "See you Tuesday"}, From: th.SendingNumber, To: th.ContactPhone}
	for _, write := range []bool{false, true} {
		fn := update
		if !write {
			fn = view
		}
		fn(t, st, func(ctx context.Context, tx store.Tx) error {
			busy, err := tx.SameWordsElsewhere(ctx, o)
			if err == nil && busy {
				t.Errorf("SameWordsElsewhere (write %v) = true for this server's own texts, want false", write)
			}
			return err
		})
	}
}
