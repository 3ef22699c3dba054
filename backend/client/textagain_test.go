package client_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/textbank/textbank/backend/client"
	"github.com/textbank/textbank/backend/sms/simnet"
)

// viaCaller marks a request made on behalf of the test's own call (its
// context), as opposed to the sync engine's background rounds.
type viaCaller struct{}

// outboxGate holds the sync engine's background pushes back while held:
// only a push made within a call whose context carries viaCaller gets
// through. It makes "the last first text is still in the outbox when Text
// Again reaches the server" happen every time, not once in a few runs.
type outboxGate struct {
	held atomic.Bool
}

func (g *outboxGate) RoundTrip(r *http.Request) (*http.Response, error) {
	if g.held.Load() && r.URL.Path == "/api/v1/mutations" && r.Context().Value(viaCaller{}) == nil {
		return nil, errors.New("held back by the test")
	}
	return http.DefaultTransport.RoundTrip(r)
}

// The e2e flake "Text Again, then no Send button": the volunteer sent the
// last contact of a batch and pressed Text Again before that text had
// reached the server. The server hands back the contacts it thinks are
// still waiting first, so it returned the ones this app had just texted (no
// longer in the queue here) and the screen stayed on "Batch done".
func TestTextAgainRightAfterTheLastSendBringsNewContacts(t *testing.T) {
	inst := startDemo(t, simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}})
	ctx := context.Background()
	gate := &outboxGate{}
	c, err := client.New(client.Config{DataDir: t.TempDir(), ServerURL: inst.URL, Log: zerolog.Nop(), Notify: func(client.Event) {},
		HTTPClient: &http.Client{Transport: gate}, PollInterval: time.Hour, BackoffMin: time.Hour, BackoffMax: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	signInAndJoin(t, c)
	actionID := inst.Info.ActionID
	if _, err := c.TextAgain(ctx, actionID); err != nil {
		t.Fatal(err)
	}
	first, err := c.Queue(ctx, actionID)
	if err != nil || len(first.Items) == 0 {
		t.Fatalf("first batch: %+v %v", first, err)
	}

	gate.held.Store(true)
	var texted []string
	for _, it := range first.Items {
		if err := c.SendInitial(ctx, actionID, it.ContactID); err != nil {
			t.Fatal(err)
		}
		texted = append(texted, it.ContactID)
	}
	if st := c.Status(ctx); st.Pending != len(texted) {
		t.Fatalf("%d texts should wait in the outbox, status %+v", len(texted), st)
	}

	b, err := c.TextAgain(context.WithValue(ctx, viaCaller{}, true), actionID)
	if err != nil {
		t.Fatal(err)
	}
	next, err := c.Queue(ctx, actionID)
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Items) == 0 || b.Assigned != len(next.Items) {
		t.Fatalf("Text Again said %+v, the queue has %d contacts", b, len(next.Items))
	}
	for _, it := range next.Items {
		if slices.Contains(texted, it.ContactID) {
			t.Fatalf("Text Again handed back %s, texted already", it.Name)
		}
	}
	if st := c.Status(ctx); st.Pending != 0 {
		t.Fatalf("the first texts should have gone out before the batch was asked for: %+v", st)
	}
}
