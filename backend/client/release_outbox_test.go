package client_test

import (
	"context"
	"testing"
)

// TestReleasePushesTheOutboxFirst: releasing the unsent contacts right
// after sending, before the sends left the outbox, releases only the unsent
// ones. Before, the server, not having the texts yet, released the texted
// contacts too and then refused their texts.
func TestReleasePushesTheOutboxFirst(t *testing.T) {
	inst := startDemo(t, quiet)
	ctx := context.Background()
	gate := &outboxGate{}
	c := clientThrough(t, inst.URL, gate)
	signInAndJoin(t, c)
	actionID := inst.Info.ActionID
	if _, err := c.TextAgain(ctx, actionID); err != nil {
		t.Fatal(err)
	}
	q, err := c.Queue(ctx, actionID)
	if err != nil || len(q.Items) < 3 {
		t.Fatalf("batch: %+v %v", q, err)
	}
	gate.held.Store(true)
	// The volunteer sends two texts and then presses release for the rest.
	for _, it := range q.Items[:2] {
		if err := c.SendInitial(ctx, actionID, it.ContactID); err != nil {
			t.Fatal(err)
		}
	}
	n, err := c.Release(context.WithValue(ctx, viaCaller{}, true), actionID)
	if err != nil {
		t.Fatal(err)
	}
	gate.held.Store(false)
	// Any call that pushes: Text Again pushes the outbox first.
	_, _ = c.TextAgain(context.WithValue(ctx, viaCaller{}, true), actionID)
	out, err := c.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(q.Items)-2 {
		t.Errorf("Release released %d contacts, want %d (the %d unsent ones only)", n, len(q.Items)-2, len(q.Items)-2)
	}
	for _, p := range out {
		if p.Rejected {
			t.Errorf("a text the volunteer sent before pressing release was refused: %s: %s", p.Summary, p.Reason)
		}
	}
}
