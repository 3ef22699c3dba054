package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testOutboxHandedSince: HandedSince lists the provider ids of outbound
// texts handed to a provider after a time (when the provider took them,
// or when queued if that is not known), oldest first, and stops when
// asked; texts with no provider id (queued, sending, failed before a
// provider took them) and received texts are not listed.
func testOutboxHandedSince(t *testing.T, st store.Store) {
	w := newWorld(t, st, "hnd", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	ids := queue(t, st, th, w.Volunteer.ID, 4) // queued at 1h, 1h+1µs, ...
	claim(t, st, ids...)
	sent := at(2 * time.Hour)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.SetMessageStatuses(ctx, []store.MessageStatus{
			{ID: ids[0], Status: statusSent, ProviderID: "SMh0", SentAt: &sent},
			{ID: ids[1], Status: "delivered", ProviderID: "SMh1"}, // no time the provider took it
			{ID: ids[2], Status: "failed", Error: "error 21211: Invalid 'To' Phone Number"},
		}); err != nil {
			return err
		}
		return tx.CreateMessage(ctx, store.Message{ID: "hnd-in", ThreadID: th.ID, Direction: dirIn, Body: "yes",
			Status: statusRecv, ProviderID: "SMin", RoutedTo: w.Volunteer.ID, CreatedAt: at(3 * time.Hour)})
	})
	handed := func(since time.Time, most int) []string {
		var got []string
		view(t, st, func(ctx context.Context, tx store.Tx) error {
			return tx.HandedSince(ctx, since, func(id string) bool {
				got = append(got, id)
				return len(got) < most
			})
		})
		return got
	}
	for _, c := range []struct {
		since time.Time
		most  int
		want  []string
	}{
		{at(time.Hour - time.Second), 10, []string{"SMh1", "SMh0"}}, // SMh1 queued 1h+1µs, SMh0 sent at 2h
		{at(time.Hour + time.Microsecond), 10, []string{"SMh0"}},    // queued before, sent after: counted
		{at(time.Hour - time.Second), 1, []string{"SMh1"}},
		{at(2 * time.Hour), 10, nil}, // after: not at
	} {
		if got := handed(c.since, c.most); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("HandedSince(%s), at most %d = %v, want %v", store.TimeText(c.since), c.most, got, c.want)
		}
	}
}
