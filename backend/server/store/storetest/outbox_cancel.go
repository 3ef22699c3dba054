package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// testOutboxCancelQueued: CancelQueued fails the queued texts of every
// thread listed, in one call, with the reason given, and answers their ids
// by thread, each thread's oldest first (not in id order); it leaves texts
// sending or sent, and the texts of threads not listed, as they were.
func testOutboxCancelQueued(t *testing.T, st store.Store) {
	w := newWorld(t, st, "cnq", 4)
	th := w.thread(t, st, 0, w.Volunteer.ID)
	other := w.thread(t, st, 1, w.Admin.ID)
	quiet := w.thread(t, st, 2, w.Volunteer.ID) // listed, nothing queued
	bystander := w.thread(t, st, 3, w.Volunteer.ID)
	msgs := []store.Message{
		{ID: "cnq-q2", ThreadID: th.ID, Status: statusQueued}, // the older of th's two
		{ID: "cnq-q1", ThreadID: th.ID, Status: statusQueued},
		{ID: "cnq-sending", ThreadID: th.ID, Status: statusSending},
		{ID: "cnq-sent", ThreadID: th.ID, Status: statusSent},
		{ID: "cnq-other", ThreadID: other.ID, Status: statusQueued},
		{ID: "cnq-quiet", ThreadID: quiet.ID, Status: statusSent},
		{ID: "cnq-bystander", ThreadID: bystander.ID, Status: statusQueued},
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
	var cancelled map[string][]string
	update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
		if none, err := tx.CancelQueued(ctx, nil, "nothing"); err != nil || len(none) != 0 {
			return fmt.Errorf("CancelQueued of no threads = %v, %v; want nothing", none, err)
		}
		cancelled, err = tx.CancelQueued(ctx, []string{th.ID, quiet.ID, other.ID, th.ID}, "opted out")
		return err
	})
	want := map[string][]string{th.ID: {"cnq-q2", "cnq-q1"}, other.ID: {"cnq-other"}}
	if !reflect.DeepEqual(cancelled, want) {
		t.Fatalf("cancelled %v, want %v", cancelled, want)
	}
	status := map[string]string{"cnq-q1": "failed", "cnq-q2": "failed", "cnq-sending": statusSending,
		"cnq-sent": statusSent, "cnq-other": "failed", "cnq-quiet": statusSent, "cnq-bystander": statusQueued}
	for id, s := range status {
		m := get(t, st, func(ctx context.Context, tx store.Tx) (store.Message, error) { return tx.MessageByID(ctx, id) })
		if m.Status != s || (s == "failed") != (m.Error == "opted out") {
			t.Errorf("%s = %s (%q), want %s", id, m.Status, m.Error, s)
		}
	}
	update(t, st, func(ctx context.Context, tx store.Tx) (err error) {
		cancelled, err = tx.CancelQueued(ctx, []string{th.ID, other.ID}, "again")
		return err
	})
	if len(cancelled) != 0 {
		t.Fatalf("a second cancel cancelled %v, want none", cancelled)
	}
}

// testSetOptedOut: SetOptedOut marks every thread listed (a repeat once)
// opted out and clears who opted it back in, when and how, leaving its other
// columns and every other thread as they were; a missing thread fails the
// call with ErrNotFound, and the transaction it failed changes nothing.
func testSetOptedOut(t *testing.T, st store.Store) {
	w := newWorld(t, st, "sop", 3)
	lifted := w.thread(t, st, 0, w.Volunteer.ID)
	lifted.OptedBackInAt, lifted.OptedBackInBy, lifted.OptOutUndone, lifted.Blocked = ptr(at(40*time.Minute)), w.Admin.ID, true, true
	lifted.LastInboundAt = ptr(at(30 * time.Minute))
	plain := w.thread(t, st, 1, w.Admin.ID)
	bystander := w.thread(t, st, 2, w.Volunteer.ID)
	bystander.OptedBackInAt, bystander.OptedBackInBy, bystander.OptOutUndone = ptr(at(41*time.Minute)), w.Admin.ID, true
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.UpdateThread(ctx, lifted); err != nil {
			return err
		}
		return tx.UpdateThread(ctx, bystander)
	})
	read := func() []store.Thread {
		return get(t, st, func(ctx context.Context, tx store.Tx) ([]store.Thread, error) {
			var out []store.Thread
			for _, id := range []string{lifted.ID, plain.ID, bystander.ID} {
				th, err := tx.ThreadByID(ctx, id)
				if err != nil {
					return nil, err
				}
				out = append(out, th)
			}
			return out, nil
		})
	}
	before := read()

	err := st.Update(ctxT(t), func(tx store.Tx) error {
		return tx.SetOptedOut(ctxT(t), []string{lifted.ID, "sop-no-such-thread", plain.ID})
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("SetOptedOut with a missing thread: %v, want ErrNotFound", err)
	}
	if got := read(); !reflect.DeepEqual(got, before) {
		t.Fatalf("a failed SetOptedOut changed threads:\n%+v\nwant\n%+v", got, before)
	}

	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if err := tx.SetOptedOut(ctx, nil); err != nil {
			return err
		}
		return tx.SetOptedOut(ctx, []string{plain.ID, lifted.ID, plain.ID})
	})
	want := append([]store.Thread(nil), before...)
	for i := range 2 {
		want[i].OptedOut, want[i].OptedBackInAt, want[i].OptedBackInBy, want[i].OptOutUndone = true, nil, "", false
	}
	if got := read(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after SetOptedOut:\n%+v\nwant\n%+v", got, want)
	}
	// Opted out already: marked again, nothing else changes.
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.SetOptedOut(ctx, []string{lifted.ID}) })
	if got := read(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after a second SetOptedOut:\n%+v\nwant\n%+v", got, want)
	}
}
