package server_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/report"
)

// TestEveryChangeRepeatedAfterARestartAppliesOnce: an app's push applied
// whole, its answer lost (the app killed, the connection cut), and the same
// outbox pushed again once the server has restarted: every kind of change
// (a first text, a reply, a read, an archive, a report with Opt Out, the
// settings, a block, a reassign of one conversation and of all the rest)
// is answered as it was the first time, and none is done again: no text
// goes out twice, and no feed row is written for the volunteer or the
// admin (every change's effect writes one, so a change made twice would
// show there).
func TestEveryChangeRepeatedAfterARestartAppliesOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 8, numbers: 1, batch: 8})
	c, assigned, from := texted(t, f, cf, 4)
	// The batch's contacts not texted yet: one gets its first text.
	b, err := c.Batch(ctx, cf.action.ID)
	if err != nil || len(b.Assigned) == 0 {
		t.Fatalf("batch: %+v %v", b, err)
	}
	replyFrom(t, f, assigned[0], from, "Who is on the ballot?")
	replyFrom(t, f, assigned[2], from, "leave me alone")
	yes := true
	outbox := []api.Mutation{
		{Type: api.MutSendInitial, ContactID: b.Assigned[0].ContactID, MessageID: uuid.NewString()},
		{Type: api.MutReply, ThreadID: assigned[0].ContactID, MessageID: uuid.NewString(), Body: "The mayor and two measures."},
		{Type: api.MutRead, ThreadID: assigned[0].ContactID},
		{Type: api.MutArchive, ThreadID: assigned[1].ContactID, Archived: &yes},
		{Type: api.MutReport, ThreadID: assigned[0].ContactID, ReportID: uuid.NewString(),
			Values: map[string]string{report.Notes: "asked about the ballot", report.OptOut: "true"}},
		{Type: api.MutSettings, Settings: &api.Settings{AutoArchive: true}},
		{Type: api.MutBlock, ThreadID: assigned[2].ContactID, Reason: api.BlockHarassment},
		{Type: api.MutReassign, ThreadID: assigned[3].ContactID, ToUserID: f.admin.ID, Body: "a question for you"},
		{Type: api.MutReassign, ActionID: cf.action.ID, ToUserID: f.admin.ID},
	}
	for i := range outbox {
		outbox[i].ID = uuid.NewString()
		outbox[i].CreatedAt = f.clock.Now()
	}
	admin := f.adminClient()
	volunteerAt, adminAt := feedEnd(t, c), feedEnd(t, admin)
	first, err := c.PushMutations(ctx, outbox)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range first.Results {
		wantApplied(t, r)
	}
	f.drain()
	sent := len(f.sent())
	volunteerAt, adminAt = feedAfter(t, c, volunteerAt), feedAfter(t, admin, adminAt)

	// The server restarts: a new one on the same database (its memory of
	// tokens, contacts and numbers empty), the old one's dispatcher gone.
	f.stopDispatch()
	<-f.dispatched
	_, ts := f.second()
	again := api.NewClient(ts.URL, ts.Client())
	again.SetToken(f.token(c))
	adminAgain := api.NewClient(ts.URL, ts.Client())
	adminAgain.SetToken(f.token(admin))
	second, err := again.PushMutations(ctx, outbox)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range second.Results {
		if r.Status != first.Results[i].Status || r.Code != first.Results[i].Code || r.Version != first.Results[i].Version {
			t.Errorf("%s pushed again: %+v, first answered %+v", outbox[i].Type, r, first.Results[i])
		}
	}
	f.drain()
	if n := len(f.sent()); n != sent {
		t.Errorf("the network holds %d texts after the repeat, %d before", n, sent)
	}
	if n := len(feedSince(t, again, volunteerAt)); n != 0 {
		t.Errorf("the repeat wrote %d feed changes for the volunteer, want none", n)
	}
	if n := len(feedSince(t, adminAgain, adminAt)); n != 0 {
		t.Errorf("the repeat wrote %d feed changes for the admin, want none", n)
	}
}

// feedEnd is the cursor past everything in c's user's feed now.
func feedEnd(t *testing.T, c *api.Client) int64 { return feedAfter(t, c, 0) }

// feedAfter is the cursor past everything in c's user's feed after cursor.
func feedAfter(t *testing.T, c *api.Client, cursor int64) int64 {
	t.Helper()
	for {
		page, err := c.Sync(context.Background(), cursor, 0)
		if err != nil {
			t.Fatal(err)
		}
		cursor = page.Cursor
		if !page.More {
			return cursor
		}
	}
}

// feedSince is every change in c's user's feed after cursor.
func feedSince(t *testing.T, c *api.Client, cursor int64) []api.Change {
	t.Helper()
	var out []api.Change
	for {
		page, err := c.Sync(context.Background(), cursor, 0)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Changes...)
		cursor = page.Cursor
		if !page.More {
			return out
		}
	}
}
