package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/sms/simnet"
)

func TestTextAgainAndRelease(t *testing.T) {
	inst := startDemo(t, simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	signInAndJoin(t, c)
	actionID := inst.Info.ActionID
	b, err := c.TextAgain(ctx, actionID)
	if err != nil || b.Assigned == 0 || b.Remaining <= 0 {
		t.Fatalf("text again: %+v %v", b, err)
	}
	// Skip hands one contact back: out of this queue, and Release no
	// longer counts it.
	q, err := c.Queue(ctx, actionID)
	if err != nil || len(q.Items) != b.Assigned {
		t.Fatalf("queue %d items after %d assigned: %v", len(q.Items), b.Assigned, err)
	}
	if err := c.Skip(ctx, actionID, q.Items[0].ContactID); err != nil {
		t.Fatal(err)
	}
	if after, _ := c.Queue(ctx, actionID); len(after.Items) != b.Assigned-1 || after.Items[0].ContactID == q.Items[0].ContactID {
		t.Fatalf("queue after a skip has %d items (first %s), want %d without the skipped one", len(after.Items), after.Items[0].ContactID, b.Assigned-1)
	}
	if err := c.Skip(ctx, actionID, ""); err == nil {
		t.Fatal("a skip naming no contact was taken")
	}
	released, err := c.Release(ctx, actionID)
	if err != nil || released != b.Assigned-1 {
		t.Fatalf("released %d of %d: %v", released, b.Assigned-1, err)
	}
	if q, _ := c.Queue(ctx, actionID); len(q.Items) != 0 {
		t.Fatalf("queue after release has %d", len(q.Items))
	}
	// Text everyone, batch after batch, until the pool is empty.
	for round := 0; ; round++ {
		if round > 20 {
			t.Fatal("the pool never ran out")
		}
		b, err := c.TextAgain(ctx, actionID)
		if err != nil {
			t.Fatal(err)
		}
		if b.Nothing != "" {
			if !strings.Contains(b.Nothing, "No one is left to text in this action") || b.Remaining != 0 || b.Assigned != 0 {
				t.Fatalf("got %+v", b)
			}
			break
		}
		q, err := c.Queue(ctx, actionID)
		if err != nil || len(q.Items) != b.Assigned {
			t.Fatalf("queue %d items after %d assigned: %v", len(q.Items), b.Assigned, err)
		}
		for _, it := range q.Items {
			if err := c.SendInitial(ctx, actionID, it.ContactID); err != nil {
				t.Fatal(err)
			}
		}
		eventually(t, "sends accepted", 10*time.Second, func() bool { return c.Status(ctx).Pending == 0 })
	}
	if _, err := c.TextAgain(ctx, "no-such-action"); err == nil {
		t.Fatal("text again for an unknown action")
	}
}

// blindTransport hides the server's changes from the app while blind is
// set: sync and the event stream fail, everything else goes through.
type blindTransport struct {
	blind atomic.Bool
}

func (b *blindTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if b.blind.Load() && (r.URL.Path == "/api/v1/sync" || r.URL.Path == "/api/v1/events") {
		return nil, errors.New("blindfolded by the test")
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestRejectedSendIsReported(t *testing.T) {
	inst := startDemo(t, simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}})
	ctx := context.Background()
	bt := &blindTransport{}
	ev := &events{}
	c := retryingThrough(t, inst.URL, t.TempDir(), bt, ev.add)
	signInAndJoin(t, c)
	if _, err := c.TextAgain(ctx, inst.Info.ActionID); err != nil {
		t.Fatal(err)
	}
	q, _ := c.Queue(ctx, inst.Info.ActionID)

	// The server takes the contacts back while the app cannot hear it.
	bt.blind.Store(true)
	other := api.NewClient(inst.URL, nil)
	auth, err := other.Login(ctx, api.LoginRequest{Email: demo.VolunteerEmail, Password: demo.VolunteerPassword})
	if err != nil {
		t.Fatal(err)
	}
	other.SetToken(auth.Token)
	if _, err := other.Release(ctx, inst.Info.ActionID, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.SendInitial(ctx, inst.Info.ActionID, q.Items[0].ContactID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "rejection event", 10*time.Second, func() bool { return len(ev.named(client.EventMutationRejected)) == 1 })
	n := ev.named(client.EventMutationRejected)[0].Payload.(client.RejectedNotice)
	if n.Summary != "First text to "+q.Items[0].Name || !strings.Contains(n.Reason, "no longer assigned") {
		t.Fatalf("notice %+v", n)
	}
	out, err := c.Outbox(ctx)
	if err != nil || len(out) != 1 || !out[0].Rejected || out[0].Reason != n.Reason || out[0].Type != api.MutSendInitial {
		t.Fatalf("outbox %+v %v", out, err)
	}
	if _, err := c.Thread(ctx, q.Items[0].ContactID); err == nil {
		t.Fatal("the refused first text still shows a thread")
	}
	if err := c.DismissRejected(ctx, out[0].ID); err != nil {
		t.Fatal(err)
	}
	if out, err := c.Outbox(ctx); err != nil || len(out) != 0 {
		t.Fatalf("outbox after dismiss: %+v %v", out, err)
	}
	if st := c.Status(ctx); st.Pending != 0 {
		t.Fatalf("status %+v", st)
	}
}

func TestSendReplyChecks(t *testing.T) {
	inst := startDemo(t, simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}})
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	signInAndJoin(t, c)
	if _, err := c.TextAgain(ctx, inst.Info.ActionID); err != nil {
		t.Fatal(err)
	}
	q, _ := c.Queue(ctx, inst.Info.ActionID)
	if err := c.SendInitial(ctx, inst.Info.ActionID, q.Items[0].ContactID); err != nil {
		t.Fatal(err)
	}
	id := q.Items[0].ContactID
	cases := []struct{ name, thread, body, script, want string }{
		{"empty", id, " \n ", "", "empty"},
		{"too long", id, strings.Repeat("a", 1601), "", "at most 1600"},
		{"unknown script", id, "hi", "nope", "not one of this action's"},
		{"unknown thread", "nope", "hi", "", "not in your inbox"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := c.SendReply(ctx, tc.thread, tc.body, tc.script)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	if out, _ := c.Outbox(ctx); len(out) > 1 {
		t.Fatalf("refused replies reached the outbox: %+v", out)
	}
}
