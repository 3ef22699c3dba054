package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var answeredTests = []test{
	{"threads/how far answers reach: a reply's activity and UpdateThread store it, an inbound leaves it", testAnsweredThrough},
	{"threads/how far answers reach: worked out again from the answers that did not fail", testRecountAnswers},
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

// testRecountAnswers: once a reply fails, the thread's answers reach as
// far as the furthest of its outbound texts that did not fail (a first
// text and a reply stored without a reach: as far as when they were
// made), NULL when none is left; a failed first text writes nothing, and
// only the threads written are listed, with their owners.
func testRecountAnswers(t *testing.T, st store.Store) {
	w := newWorld(t, st, "recount", 3)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	legacy := w.thread(t, st, 1, w.Volunteer.ID)
	first := w.thread(t, st, 2, w.Volunteer.ID)
	out := func(id, threadID, status string, made time.Duration, reach *time.Time) store.Message {
		return store.Message{ID: id, ThreadID: threadID, Direction: dirOut, Body: id, Status: status, SenderID: w.Volunteer.ID,
			CreatedAt: at(made), AnswersThrough: reach, Initial: reach == nil && made == 0}
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, m := range []store.Message{
			out("r-first", th.ID, statusSent, 0, nil),
			{ID: "r-in", ThreadID: th.ID, Direction: dirIn, Body: "When?", Status: statusRecv, CreatedAt: at(10 * time.Minute)},
			// Written offline before the contact's question came: it
			// reaches the first text alone, though it went after it.
			out("r-early", th.ID, statusSent, 20*time.Minute, ptr(at(0))),
			out("r-failed", th.ID, "failed", 30*time.Minute, ptr(at(10*time.Minute))),
			out("l-first", legacy.ID, statusSent, 0, nil),
			out("l-old", legacy.ID, statusSent, 40*time.Minute, nil), // stored before replies kept their reach
			out("l-failed", legacy.ID, "undelivered", 50*time.Minute, ptr(at(45*time.Minute))),
			out("f-first", first.ID, "failed", 0, nil),
		} {
			if err := tx.CreateMessage(ctx, m); err != nil {
				return err
			}
		}
		for _, x := range []store.Thread{th, legacy, first} {
			x.AnsweredThrough = ptr(at(45 * time.Minute)) // as the failed replies left them
			if err := tx.UpdateThread(ctx, x); err != nil {
				return err
			}
		}
		return nil
	})
	recount := func(ids ...string) (got []store.RecountedThread) {
		t.Helper()
		update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
			got, err = tx.RecountAnswers(ctx, ids)
			return err
		})
		return got
	}
	got := recount("r-failed", "l-failed", "f-first", "no-such-text")
	slices.SortFunc(got, func(a, b store.RecountedThread) int { return strings.Compare(a.ThreadID, b.ThreadID) })
	want := []store.RecountedThread{{ThreadID: th.ID, OwnerID: w.Volunteer.ID}, {ThreadID: legacy.ID, OwnerID: w.Volunteer.ID}}
	slices.SortFunc(want, func(a, b store.RecountedThread) int { return strings.Compare(a.ThreadID, b.ThreadID) })
	if !slices.Equal(got, want) {
		t.Fatalf("RecountAnswers listed %v, want %v", got, want)
	}
	read := func(id string) *time.Time {
		t.Helper()
		return get(t, st, func(ctx context.Context, tx store.Tx) (store.Thread, error) { return tx.ThreadByID(ctx, id) }).AnsweredThrough
	}
	for _, c := range []struct {
		name, id string
		want     time.Time
	}{
		{"the reply written before the question", th.ID, at(0)},
		{"the reply stored without its reach", legacy.ID, at(40 * time.Minute)},
		{"a failed first text, not recounted", first.ID, at(45 * time.Minute)},
	} {
		if got := read(c.id); got == nil || !got.Equal(c.want) {
			t.Errorf("%s: answered through %v, want %v", c.name, got, c.want)
		}
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, id := range []string{"r-first", "r-early"} {
			if err := tx.SetMessageStatus(ctx, id, "failed", "", "30006", nil); err != nil {
				return err
			}
		}
		return nil
	})
	recount("r-early")
	if got := read(th.ID); got != nil {
		t.Errorf("with every answer failed: answered through %v, want none", got)
	}
	if got := recount(); len(got) != 0 {
		t.Errorf("RecountAnswers of no texts listed %v", got)
	}
}
