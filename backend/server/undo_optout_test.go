package server_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/report"
	"github.com/textbank/textbank/backend/server/store"
)

// reportOptOut files a report with Opt Out on in the conversation, as a
// volunteer's Fill Report does.
func reportOptOut(t *testing.T, c *api.Client, threadID string, values map[string]string) {
	t.Helper()
	v := map[string]string{report.OptOut: "true"}
	for k, x := range values {
		v[k] = x
	}
	wantApplied(t, push(t, c, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: threadID, ReportID: uuid.NewString(), Values: v}))
}

// TestUndoOptOutLiftsAReportsOptOut: a volunteer turned Opt Out on in the
// wrong conversation. The admin thread read says the opt-out is a
// report's, undoable; Undo Opt Out lifts it (as Opt Back In does): the
// number is no longer opted out, the volunteer's sync brings the thread
// opted in again, by the admin, and a report in the admin's name turning
// Opt Out off (notes kept), and export opt-out-lifts lists the lift with
// no START.
func TestUndoOptOutLiftsAReportsOptOut(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	vera, a, _ := texted(t, f, cf, 1)
	reportOptOut(t, vera, a[0].ContactID, map[string]string{"notes": "wrong one"})
	state := syncState{}
	cursor := syncAll(t, vera, state, 0, 0)
	if th := state.thread(t, a[0].ContactID); !th.OptedOut {
		t.Fatalf("thread %+v not opted out by the report", th)
	}

	admin := f.adminClient()
	read, err := admin.AdminThread(ctx, cf.campaign.ID, a[0].ContactID)
	if err != nil || read.OptOut == nil || !read.OptOut.Undoable || read.OptOut.Reason != "reported by volunteer" || len(read.Messages) != 1 {
		t.Fatalf("admin read %+v (opt-out %+v), %v: want the text and a report's opt-out, undoable", read, read.OptOut, err)
	}
	f.clock.Advance(time.Minute)
	after, err := admin.UndoOptOut(ctx, cf.campaign.ID, a[0].ContactID, read.OptOut.At)
	if err != nil || after.OptOut != nil || len(after.Messages) != 1 {
		t.Fatalf("undo: %+v, %v; want the conversation with no opt-out", after, err)
	}
	f.view(func(tx store.Tx) error {
		out, err := tx.IsOptedOut(ctx, f.org.ID, a[0].Phone)
		if err == nil && out {
			t.Error("the number is still opted out after the undo")
		}
		return err
	})

	syncAll(t, vera, state, cursor, 0)
	th := state.thread(t, a[0].ContactID)
	if th.OptedOut || th.OptedBackIn == nil || th.OptedBackIn.ByName != "Ann Admin" || !th.OptedBackIn.At.Equal(f.clock.Now()) || !th.OptedBackIn.Undone {
		t.Fatalf("thread after the undo %+v (%+v), want opted in again by Ann Admin now, undone", th, th.OptedBackIn)
	}
	reports := state.reports(t)
	if len(reports) != 2 || reports[1].SubmittedByName != "Ann Admin" || reports[1].Values[report.OptOut] != "false" {
		t.Fatalf("reports %+v: want Vera's, then Ann's turning Opt Out off", reports)
	}
	if now := report.Latest([]map[string]string{reports[0].Values, reports[1].Values}); now[report.OptOut] != "false" || now["notes"] != "wrong one" {
		t.Fatalf("the thread's report now %v, want Opt Out off and the notes kept", now)
	}

	var out bytes.Buffer
	if n, err := f.organizer(f.st).ExportLiftedOptOuts(ctx, f.org.Name, &out); err != nil || n != 1 {
		t.Fatalf("export lifted opt-outs: %d, %v\n%s", n, err, out.String())
	}
	if r := readCSV(t, out.String())[0]; r["phone"] != a[0].Phone || r["reason"] != "reported by volunteer" || r["start_text"] != "" ||
		r["start_at"] != "" || r["lifted_by_name"] != "Ann Admin" {
		t.Fatalf("lifted opt-out row %v, want the report's, no START, lifted by Ann Admin", r)
	}
}
