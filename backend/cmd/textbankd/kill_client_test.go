package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
)

// killClient is an app: an outbox of mutations repeated until answered.
type killClient struct {
	t        *testing.T
	api      *api.Client
	token    string
	actionID string
	outbox   []api.Mutation
	queued   map[string]bool // contacts with a send in the outbox or done
	accepted map[string]bool // message ids the server said it applied
	applied  *atomic.Int64   // how many, shared by the clients
	stopped  error           // why work last returned early, if it did
}

// pushPause is a client's pause after each push of up to 10 texts: at most
// 400 a second from the six, so the contacts last every round of a run
// (unpaced, a quiet machine texted the 3,000 it had then in 3 rounds of 20,
// and the rounds after cut nothing), and a kill lands while texts flow.
const pushPause = 150 * time.Millisecond

// stops says why each client stopped working in a round.
func stops(clients []*killClient) string {
	var why []string
	for i, c := range clients {
		why = append(why, fmt.Sprintf("%d: %v", i, c.stopped))
	}
	return strings.Join(why, "; ")
}

func newKillClient(t *testing.T, base, actionID string, i int, applied *atomic.Int64) *killClient {
	c := api.NewClient(base, nil)
	res, err := c.Signup(context.Background(), api.SignupRequest{Name: fmt.Sprintf("Vol %d", i), Email: fmt.Sprintf("v%d@example.org", i), Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	c.SetToken(res.Token)
	if _, err := c.Join(context.Background(), "424242"); err != nil {
		t.Fatal(err)
	}
	return &killClient{t: t, token: res.Token, actionID: actionID, queued: map[string]bool{}, accepted: map[string]bool{}, applied: applied}
}

func (c *killClient) work(ctx context.Context) {
	c.stopped = nil
	for ctx.Err() == nil {
		if len(c.outbox) > 0 {
			if !c.push(ctx) {
				c.stopped = errors.New("a push went unanswered")
				return
			}
			select {
			case <-ctx.Done():
			case <-time.After(pushPause):
			}
			continue
		}
		b, err := c.api.Batch(ctx, c.actionID)
		if err != nil {
			c.stopped = err
			return // the server is gone; the next round resumes
		}
		for _, a := range b.Assigned {
			if c.queued[a.ContactID] {
				continue
			}
			c.queued[a.ContactID] = true
			c.outbox = append(c.outbox, api.Mutation{ID: uuid.NewString(), Type: api.MutSendInitial, ActionID: c.actionID,
				ContactID: a.ContactID, MessageID: uuid.NewString(), Body: "Hi " + a.FirstName + ", will you vote?"})
		}
		if len(b.Assigned) == 0 {
			return
		}
	}
}

// push sends up to 10 outbox mutations; false when the server did not answer.
func (c *killClient) push(ctx context.Context) bool {
	n := min(10, len(c.outbox))
	resp, err := c.api.PushMutations(ctx, c.outbox[:n])
	if err != nil {
		return false
	}
	for i, r := range resp.Results {
		if r.Status != api.ResultApplied {
			c.t.Errorf("send %s refused: %s %s", c.outbox[i].ID, r.Code, r.Reason)
			continue
		}
		c.accepted[c.outbox[i].MessageID] = true
		c.applied.Add(1)
	}
	c.outbox = c.outbox[n:]
	return true
}
