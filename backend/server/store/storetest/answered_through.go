package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var answeredTests = []test{
	{"threads/how far answers reach: a reply's activity and UpdateThread store it, an inbound leaves it", testAnsweredThrough},
}

// testAnsweredThrough: the thread's AnsweredThrough (inbox.Answered) is
// what a reply's ThreadActivity and UpdateThread store and ThreadByID
// reads back; an inbound text's activity leaves it; an activity that does
// not say which it is, or an outbound one without how far it answers, is
// refused with nothing written.
func testAnsweredThrough(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	w := newWorld(t, st, "ans", 1)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	read := func() store.Thread {
		t.Helper()
		return get(t, st, func(ctx context.Context, tx store.Tx) (store.Thread, error) { return tx.ThreadByID(ctx, th.ID) })
	}
	reply, seen := at(time.Hour), at(30*time.Minute) // written with the reply at +30m, taken at +1h
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.ThreadActivity(ctx, th.ID, reply, nil, &reply, &seen)
	})
	if got := read(); got.AnsweredThrough == nil || !got.AnsweredThrough.Equal(seen) || got.LastOutboundAt == nil || !got.LastOutboundAt.Equal(reply) {
		t.Fatalf("after a reply's activity: answered through %v, last outbound %v; want %v, %v", got.AnsweredThrough, got.LastOutboundAt, seen, reply)
	}
	in := at(2 * time.Hour)
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.ThreadActivity(ctx, th.ID, in, &in, nil, nil) })
	if got := read(); got.AnsweredThrough == nil || !got.AnsweredThrough.Equal(seen) || got.LastInboundAt == nil || !got.LastInboundAt.Equal(in) {
		t.Fatalf("after an inbound's activity: answered through %v, last inbound %v; want %v kept, %v", got.AnsweredThrough, got.LastInboundAt, seen, in)
	}
	later := at(3 * time.Hour)
	for name, call := range map[string]func(tx store.Tx) error{
		"an outbound without how far it answers": func(tx store.Tx) error { return tx.ThreadActivity(ctx, th.ID, later, nil, &later, nil) },
		"an inbound with how far it answers":     func(tx store.Tx) error { return tx.ThreadActivity(ctx, th.ID, later, &later, nil, &later) },
		"both an inbound and an outbound":        func(tx store.Tx) error { return tx.ThreadActivity(ctx, th.ID, later, &later, &later, &later) },
		"neither":                                func(tx store.Tx) error { return tx.ThreadActivity(ctx, th.ID, later, nil, nil, nil) },
	} {
		if err := st.Update(ctx, call); err == nil {
			t.Errorf("%s: no error", name)
		}
		if got := read(); !got.LastMessageAt.Equal(in) || !got.AnsweredThrough.Equal(seen) {
			t.Errorf("%s: thread changed to last message %v, answered through %v", name, got.LastMessageAt, got.AnsweredThrough)
		}
	}
	th = read()
	th.AnsweredThrough = nil
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.UpdateThread(ctx, th) })
	if got := read(); got.AnsweredThrough != nil {
		t.Fatalf("after UpdateThread clearing it: answered through %v", got.AnsweredThrough)
	}
	th.AnsweredThrough = &reply
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.UpdateThread(ctx, th) })
	if got := read(); got.AnsweredThrough == nil || !got.AnsweredThrough.Equal(reply) {
		t.Fatalf("after UpdateThread: answered through %v, want %v", got.AnsweredThrough, reply)
	}
}
