package client_test

import (
	"context"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
)

// A change too large for any push would stop the outbox for good: the
// server answers 413, which is no fault the volunteer may discard, and
// every change after it waits. So a text longer than a text may be, or an
// admin id no id is that long, is refused at once in words, nothing queued.
func TestOversizedChangesAreRefusedBeforeTheOutbox(t *testing.T) {
	ctx := context.Background()
	inst := startDemo(t, quiet)
	c, _ := joined(t, inst, t.TempDir())
	actionID := inst.Info.ActionID
	if _, err := c.TextAgain(ctx, actionID); err != nil {
		t.Fatal(err)
	}
	q, err := c.Queue(ctx, actionID)
	if err != nil || len(q.Items) == 0 {
		t.Fatalf("queue %+v %v", q, err)
	}
	huge := strings.Repeat("x", api.MaxRequestBody+1)
	if err := c.SendNewText(ctx, actionID, q.Items[0].ContactID, huge); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Fatalf("a text of %d characters: %v", len(huge), err)
	}
	rosa := threadNamed(t, c, inst.Info.CampaignID, "Rosa Parks")
	if err := c.Reassign(ctx, rosa.ID, huge, ""); err == nil || !strings.Contains(err.Error(), "not an admin") {
		t.Fatalf("reassign to an id of %d characters: %v", len(huge), err)
	}
	if _, err := c.ReassignAll(ctx, rosa.ActionID, huge, ""); err == nil || !strings.Contains(err.Error(), "not an admin") {
		t.Fatalf("reassign all to an id of %d characters: %v", len(huge), err)
	}
	if st := c.Status(ctx); st.Pending != 0 {
		t.Fatalf("refused calls queued something: %+v", st)
	}
}
