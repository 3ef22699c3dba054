package client_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/store"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// The organizer edits the script after the app showed a contact's text: the
// server refuses the send as script_changed with its own text; the contact
// comes back to the queue showing that text, and SendNewText sends exactly it.
func TestScriptChangedShowsAndSendsTheNewText(t *testing.T) {
	inst := startDemo(t, simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}})
	ctx := context.Background()
	c, ev := newClient(t, inst.URL, t.TempDir())
	signInAndJoin(t, c)
	actionID := inst.Info.ActionID
	if _, err := c.TextAgain(ctx, actionID); err != nil {
		t.Fatal(err)
	}
	q, err := c.Queue(ctx, actionID)
	if err != nil || len(q.Items) == 0 {
		t.Fatalf("queue %+v %v", q, err)
	}
	shown := q.Items[0]

	// Straight in the server's store: no change in the sync feed, so the app
	// still renders the old script.
	const added = " Polls close at 8."
	err = inst.Store.Update(ctx, func(tx store.Tx) error {
		a, err := tx.ActionByID(ctx, actionID)
		if err != nil {
			return err
		}
		for i := range a.Scripts {
			a.Scripts[i] += added
		}
		return tx.UpdateAction(ctx, a)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SendInitial(ctx, actionID, shown.ContactID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the refusal", 10*time.Second, func() bool { return len(ev.named(client.EventMutationRejected)) == 1 })
	if n := ev.named(client.EventMutationRejected)[0].Payload.(client.RejectedNotice); !strings.Contains(n.Reason, "script") {
		t.Fatalf("notice %+v", n)
	}

	var back client.QueueItem
	eventually(t, shown.Name+" back in the queue with the new text", 10*time.Second, func() bool {
		q, err := c.Queue(ctx, actionID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range q.Items {
			if it.ContactID == shown.ContactID {
				back = it
				return true
			}
		}
		return false
	})
	if !back.ScriptChanged || !strings.HasSuffix(back.Body, added) || back.Body == shown.Body || back.Segments < 1 {
		t.Fatalf("the contact came back as %+v (shown before: %q)", back, shown.Body)
	}

	// Bad input first: an empty text, a contact not in the queue; nothing is queued.
	if err := c.SendNewText(ctx, actionID, shown.ContactID, "  "); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("an empty text: %v", err)
	}
	if err := c.SendNewText(ctx, actionID, "no-such-contact", back.Body); err == nil || !strings.Contains(err.Error(), "no longer in your queue") {
		t.Fatalf("a contact not in the queue: %v", err)
	}
	if st := c.Status(ctx); st.Pending != 0 {
		t.Fatalf("refused calls queued something: %+v", st)
	}

	if err := c.SendNewText(ctx, actionID, shown.ContactID, back.Body); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the new text accepted", 10*time.Second, func() bool { return c.Status(ctx).Pending == 0 })
	if n := len(ev.named(client.EventMutationRejected)); n != 1 {
		t.Fatalf("%d refusals, want only the first", n)
	}
	view, err := c.Thread(ctx, shown.ContactID)
	if err != nil || len(view.Messages) != 1 {
		t.Fatalf("thread %+v %v", view, err)
	}
	var stored store.Message
	err = inst.Store.View(ctx, func(tx store.Tx) error {
		stored, err = tx.MessageByID(ctx, view.Messages[0].ID)
		return err
	})
	if err != nil || stored.Body != back.Body || stored.ThreadID != shown.ContactID || stored.Direction != api.DirOutbound || !stored.Initial {
		t.Fatalf("stored %+v %v, want %q to %s", stored, err, back.Body, shown.ContactID)
	}
	q, err = c.Queue(ctx, actionID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range q.Items {
		if it.ContactID == shown.ContactID || it.ScriptChanged {
			t.Fatalf("queue after the new text was sent: %+v", it)
		}
	}
}
