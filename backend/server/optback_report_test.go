package server_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/report"
)

// TestOptBackInWithdrawsReportedOptOut: a volunteer opted the contact out
// in a report (with notes); after the contact's START an admin opts them
// back in. The thread then holds a report by the admin turning Opt Out
// off, which the volunteer's sync brings, so what the reports say now
// (report.Latest: the form's starting values, the summary) is Opt Out off
// with the notes kept, and filing the form again cannot opt the contact
// out by accident; the latest-reports export agrees. A thread opted out by
// a keyword alone, with no report saying so, gets no such report. Both
// lifts are listed by export opt-out-lifts.
func TestOptBackInWithdrawsReportedOptOut(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	vera, a, from := texted(t, f, cf, 2)
	replyFrom(t, f, a[0], from, "Please take me off your list")
	wantApplied(t, push(t, vera, api.Mutation{ID: uuid.NewString(), Type: api.MutReport, ThreadID: a[0].ContactID, ReportID: uuid.NewString(),
		Values: map[string]string{"opt_out": "true", "notes": "asked to be removed"}}))
	replyFrom(t, f, a[1], from, "STOP")
	f.clock.Advance(time.Minute)
	replyFrom(t, f, a[0], from, "START")
	replyFrom(t, f, a[1], from, "START")

	state := syncState{}
	cursor := syncAll(t, vera, state, 0, 0)
	reportsBefore := state.count(api.KindReport)
	admin := f.adminClient()
	ov, err := admin.AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.OptIns) != 2 {
		t.Fatalf("overview opt-ins %+v, %v: want two", ov.OptIns, err)
	}
	f.clock.Advance(time.Minute)
	for _, in := range ov.OptIns {
		if _, err := admin.OptBackIn(ctx, cf.campaign.ID, in.ID); err != nil {
			t.Fatal(err)
		}
	}
	syncAll(t, vera, state, cursor, 0)
	if n := state.count(api.KindReport) - reportsBefore; n != 1 {
		t.Fatalf("the lifts brought Vera %d reports, want 1 (only the thread whose report opted the contact out)", n)
	}
	reports := state.reports(t)
	for _, r := range reports {
		if r.ThreadID != a[0].ContactID {
			t.Fatalf("report %+v on a thread no report opted out", r)
		}
	}
	if len(reports) != 2 {
		t.Fatalf("reports of the thread %+v, want Vera's and the admin's", reports)
	}
	lift := reports[1]
	if lift.SubmittedByName != "Ann Admin" || lift.Values["opt_out"] != "false" || len(lift.Values) != 1 {
		t.Fatalf("the lift's report %+v, want Opt Out off by Ann Admin", lift)
	}
	now := report.Latest([]map[string]string{reports[0].Values, lift.Values})
	if now["opt_out"] != "false" || now["notes"] != "asked to be removed" {
		t.Fatalf("the thread's report now %v, want Opt Out off and the notes kept", now)
	}
	if th := state.thread(t, a[0].ContactID); th.OptedOut || th.OptedBackIn == nil || th.OptedBackIn.Undone {
		t.Fatalf("thread %+v (%+v) still opted out, or not opted back in on the START", th, th.OptedBackIn)
	}

	var out bytes.Buffer
	if n, err := f.organizer(f.st).ExportLatestReports(ctx, cf.action.ID, &out); err != nil || n != 1 {
		t.Fatalf("export latest reports: %d, %v", n, err)
	}
	if r := readCSV(t, out.String())[0]; r["opt_out"] != "false" || r["notes"] != "asked to be removed" || r["opted_out_now"] != "false" ||
		r["volunteer_name"] != "Ann Admin" {
		t.Fatalf("latest report row %v, want Opt Out off, the notes, by the admin who lifted it", r)
	}

	// export opt-out-lifts: both lifts, with the opt-outs as they were and the STARTs.
	out.Reset()
	if n, err := f.organizer(f.st).ExportLiftedOptOuts(ctx, f.org.Name, &out); err != nil || n != 2 {
		t.Fatalf("export lifted opt-outs: %d, %v\n%s", n, err, out.String())
	}
	reasons := map[string]string{a[0].Phone: "reported by volunteer", a[1].Phone: "keyword: STOP"}
	for _, r := range readCSV(t, out.String()) {
		if want, ok := reasons[r["phone"]]; !ok || r["reason"] != want || r["start_text"] != "START" || r["lifted_by_name"] != "Ann Admin" ||
			r["lifted_by_email"] == "" || r["organization"] != f.org.Name || r["opted_out_at"] == "" || r["lifted_at"] == "" || r["start_at"] == "" {
			t.Fatalf("lifted opt-out row %v, want reason %q, the START, lifted by Ann Admin", r, want)
		}
		delete(reasons, r["phone"])
	}
}
