package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testOutboxCancelQueued: CancelQueued fails a thread's queued texts with
// the reason given, and leaves its texts sending or sent, and every other
// thread's, as they were.
func testOutboxCancelQueued(t *testing.T, st store.Store) {
	w := newWorld(t, st, "cnq", 2)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	other := w.thread(t, st, 1, w.Volunteer.ID)
	msgs := []store.Message{
		{ID: "cnq-q1", ThreadID: th.ID, Status: statusQueued},
		{ID: "cnq-q2", ThreadID: th.ID, Status: statusQueued},
		{ID: "cnq-sending", ThreadID: th.ID, Status: statusSending},
		{ID: "cnq-sent", ThreadID: th.ID, Status: statusSent},
		{ID: "cnq-other", ThreadID: other.ID, Status: statusQueued},
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for i, m := range msgs {
			m.Direction, m.Body, m.SenderID, m.CreatedAt = dirOut, "hi", w.Volunteer.ID, at(time.Duration(i)*time.Second)
			if err := tx.CreateMessage(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	var cancelled []string
	update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
		cancelled, err = tx.CancelQueued(ctx, th.ID, "opted out")
		return err
	})
	slices.Sort(cancelled)
	if got := fmt.Sprint(cancelled); got != fmt.Sprint([]string{"cnq-q1", "cnq-q2"}) {
		t.Fatalf("cancelled %s, want the thread's two queued texts", got)
	}
	want := map[string]string{"cnq-q1": "failed", "cnq-q2": "failed", "cnq-sending": statusSending,
		"cnq-sent": statusSent, "cnq-other": statusQueued}
	for id, status := range want {
		m := get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) { return tx.MessageByID(ctx, id) })
		if m.Status != status || (status == "failed") != (m.Error == "opted out") {
			t.Errorf("%s = %s (%q), want %s", id, m.Status, m.Error, status)
		}
	}
	update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
		cancelled, err = tx.CancelQueued(ctx, th.ID, "again")
		return err
	})
	if len(cancelled) != 0 {
		t.Fatalf("a second cancel cancelled %v, want none", cancelled)
	}
}
