package client_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/textbank/textbank/backend/server/demo"
	"github.com/textbank/textbank/backend/server/store"
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
	c := clientThrough(t, inst.URL, gate)
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

// Text Again passes over contacts outside the action's hours where they
// live and says how many; when it is outside hours for everyone left, the
// volunteer reads why nobody came, in a sentence.
func TestTextAgainSaysHowManyWereHeldBackForHours(t *testing.T) {
	// 12:00 UTC: 07:00 in New York, 06:00 in Chicago, 04:00 in Los Angeles.
	noon := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	inst, err := demo.Start(context.Background(), demo.Options{Dir: t.TempDir(), Addr: "127.0.0.1:0", Log: zerolog.Nop(),
		Network: simnet.Config{Seed: 1, Mix: simnet.Mix{simnet.Silent: 1}}, BcryptCost: bcrypt.MinCost, Now: func() time.Time { return noon }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = inst.Close(context.Background()) })
	ctx := context.Background()
	c, _ := newClient(t, inst.URL, t.TempDir())
	signInAndJoin(t, c)
	actionID := inst.Info.ActionID
	setHours := func(start, end string) {
		t.Helper()
		err := inst.Store.Update(ctx, func(tx store.Tx) error {
			a, err := tx.ActionByID(ctx, actionID)
			if err != nil {
				return err
			}
			a.TextingHours = store.TextingHours{Start: start, End: end}
			return tx.UpdateAction(ctx, a)
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	setHours("06:30", "07:30") // the Eastern contacts only
	b, err := c.TextAgain(ctx, actionID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Assigned == 0 || b.HeldBack == 0 {
		t.Fatalf("Text Again brought %+v, want some assigned and some held back", b)
	}
	q, err := c.Queue(ctx, actionID)
	if err != nil || len(q.Items) != b.Assigned {
		t.Fatalf("queue %d items after %+v: %v", len(q.Items), b, err)
	}
	for _, it := range q.Items {
		if !strings.HasPrefix(it.Phone, "+1212") && !strings.HasPrefix(it.Phone, "+1617") && !strings.HasPrefix(it.Phone, "+1305") {
			t.Fatalf("%s (%s) is outside the action's hours now", it.Name, it.Phone)
		}
	}

	if _, err := c.Release(ctx, actionID); err != nil {
		t.Fatal(err)
	}
	setHours("01:00", "01:30") // nobody
	// The server's answer, not a failure: Nothing says why.
	b, err = c.TextAgain(ctx, actionID)
	if err != nil || !strings.HasPrefix(b.Nothing, "No contacts can be texted right now: it is outside texting hours") ||
		!strings.Contains(b.Nothing, "held back") || b.Assigned != 0 {
		t.Fatalf("Text Again outside everyone's hours: %+v %v", b, err)
	}
	if q, err := c.Queue(ctx, actionID); err != nil || len(q.Items) != 0 {
		t.Fatalf("queue %+v %v", q, err)
	}
}
