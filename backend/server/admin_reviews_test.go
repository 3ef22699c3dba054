package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// reportedAndOptedIn sets up Vera's two conversations: she blocks the first
// contact (an abuse report), the second texts STOP then START (an opt-in).
// It returns the report's and the opt-in's ids, and Vera's client with her
// assignments and number.
func reportedAndOptedIn(t *testing.T, f *fixture, cf campaignFix) (reportID, optInID string, vera *api.Client, a []api.Assignment, from string) {
	t.Helper()
	vera, a, from = texted(t, f, cf, 2)
	reportID = uuid.NewString()
	wantApplied(t, push(t, vera, api.Mutation{ID: reportID, Type: api.MutBlock, ThreadID: a[0].ContactID, Reason: api.BlockHarassment}))
	replyFrom(t, f, a[1], from, "STOP")
	replyFrom(t, f, a[1], from, "START")
	ov, err := f.adminClient().AdminOverview(context.Background(), cf.campaign.ID)
	if err != nil || len(ov.AbuseReports) != 1 || len(ov.OptIns) != 1 || ov.AbuseReportsReviewed != 0 || ov.OptInsReviewed != 0 {
		t.Fatalf("overview %+v, %v: want one open report and one open opt-in", ov, err)
	}
	if ov.AbuseReports[0].ID != reportID || ov.OptIns[0].ID == "" || !ov.OptIns[0].OptedOut {
		t.Fatalf("report %+v and opt-in %+v: want their ids, the number opted out", ov.AbuseReports[0], ov.OptIns[0])
	}
	return reportID, ov.OptIns[0].ID, vera, a, from
}

// TestMarkAbuseReportAndOptInReviewed: an admin marks a report of abuse and
// an opt-in reviewed; the overview leaves each out of its list and counts
// it, the reviewed lists have them with who and when, marking again keeps
// the first mark, and open again brings them back. Nothing is deleted, and
// reviewing an opt-in lifts no opt-out.
func TestMarkAbuseReportAndOptInReviewed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	reportID, optInID, _, _, _ := reportedAndOptedIn(t, f, cf)
	admin := f.adminClient()

	f.clock.Advance(time.Minute)
	markedAt := f.clock.Now().UTC()
	r, err := admin.SetAbuseReportReviewed(ctx, cf.campaign.ID, reportID, true)
	if err != nil || r.ID != reportID || r.ReviewedBy != "Ann Admin" || r.ReviewedAt == nil || !r.ReviewedAt.Equal(markedAt) || r.Reason != api.BlockHarassment {
		t.Fatalf("reviewed report %+v, %v: want it reviewed by Ann Admin at %v", r, err, markedAt)
	}
	o, err := admin.SetOptInReviewed(ctx, cf.campaign.ID, optInID, true)
	if err != nil || o.ID != optInID || o.ReviewedBy != "Ann Admin" || !o.ReviewedAt.Equal(markedAt) || !o.OptedOut || o.OptedBackInAt != nil {
		t.Fatalf("reviewed opt-in %+v, %v: want it reviewed by Ann Admin, the number still opted out", o, err)
	}
	ov, err := admin.AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.AbuseReports) != 0 || len(ov.OptIns) != 0 || ov.AbuseReportsReviewed != 1 || ov.OptInsReviewed != 1 {
		t.Fatalf("overview %+v, %v: want both lists empty, one of each reviewed", ov, err)
	}
	f.clock.Advance(time.Minute)
	if again, err := admin.SetAbuseReportReviewed(ctx, cf.campaign.ID, reportID, true); err != nil || !again.ReviewedAt.Equal(markedAt) {
		t.Fatalf("reviewed twice: %+v, %v; want the first mark kept", again, err)
	}
	reports, err := admin.ReviewedAbuseReports(ctx, cf.campaign.ID)
	if err != nil || len(reports) != 1 || reports[0].ID != reportID || reports[0].ReviewedBy != "Ann Admin" || reports[0].ReportedBy != "vera Volunteer" {
		t.Fatalf("reviewed reports %+v, %v", reports, err)
	}
	opts, err := admin.ReviewedOptIns(ctx, cf.campaign.ID)
	if err != nil || len(opts) != 1 || opts[0].ID != optInID || !opts[0].ReviewedAt.Equal(markedAt) || opts[0].HeldBy != "vera Volunteer" {
		t.Fatalf("reviewed opt-ins %+v, %v", opts, err)
	}
	if r, err := admin.SetAbuseReportReviewed(ctx, cf.campaign.ID, reportID, false); err != nil || r.ReviewedAt != nil || r.ReviewedBy != "" {
		t.Fatalf("report open again: %+v, %v", r, err)
	}
	if o, err := admin.SetOptInReviewed(ctx, cf.campaign.ID, optInID, false); err != nil || o.ReviewedAt != nil || o.ReviewedBy != "" {
		t.Fatalf("opt-in open again: %+v, %v", o, err)
	}
	ov, err = admin.AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.AbuseReports) != 1 || len(ov.OptIns) != 1 || ov.AbuseReportsReviewed != 0 || ov.OptInsReviewed != 0 {
		t.Fatalf("overview after open again %+v, %v", ov, err)
	}
	for _, l := range []func() (int, error){
		func() (int, error) { l, err := admin.ReviewedAbuseReports(ctx, cf.campaign.ID); return len(l), err },
		func() (int, error) { l, err := admin.ReviewedOptIns(ctx, cf.campaign.ID); return len(l), err },
	} {
		if n, err := l(); err != nil || n != 0 {
			t.Fatalf("a reviewed list after open again: %d rows, %v", n, err)
		}
	}
}

// TestOptBackIn: an admin lifts the opt-out of a contact who texted START.
// The opt-in says who and when and is reviewed; the organization no longer
// has the number opted out, the opt-out kept with the lift; the volunteer
// holding the conversation learns it through the sync feed and can reply
// again. Doing it again changes nothing. A later STOP opts the number out
// again, and the same START cannot lift that one.
func TestOptBackIn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	_, optInID, vera, a, from := reportedAndOptedIn(t, f, cf)
	admin := f.adminClient()
	state := syncState{}
	cursor := syncAll(t, vera, state, 0, 0)
	if th := state.thread(t, a[1].ContactID); !th.OptedOut {
		t.Fatalf("Vera's thread before %+v, want opted out", th)
	}
	wantRejected(t, push(t, vera, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: a[1].ContactID,
		MessageID: uuid.NewString(), Body: "Welcome back"}), api.RejectOptedOut)

	f.clock.Advance(time.Minute)
	liftedAt := f.clock.Now().UTC()
	o, err := admin.OptBackIn(ctx, cf.campaign.ID, optInID)
	if err != nil {
		t.Fatal(err)
	}
	if o.OptedOut || o.OptedBackInBy != "Ann Admin" || o.OptedBackInAt == nil || !o.OptedBackInAt.Equal(liftedAt) ||
		o.ReviewedBy != "Ann Admin" || !o.ReviewedAt.Equal(liftedAt) {
		t.Fatalf("opted back in: %+v, want lifted and reviewed by Ann Admin at %v", o, liftedAt)
	}
	ov, err := admin.AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.OptIns) != 0 || ov.OptInsReviewed != 1 {
		t.Fatalf("overview %+v, %v: want the opt-in reviewed", ov.OptIns, err)
	}
	var lifted store.OptIn
	f.view(func(tx store.Tx) error {
		out, err := tx.IsOptedOut(ctx, cf.campaign.OrganizationID, a[1].Phone)
		if err == nil && out {
			t.Error("the organization still has the number opted out")
		}
		lifted, err = tx.OptInByID(ctx, optInID)
		return err
	})
	if lifted.Lifted.At.IsZero() || lifted.Lifted.By == "" {
		t.Fatalf("the lift is not kept: %+v", lifted)
	}
	cursor = syncAll(t, vera, state, cursor, 0)
	if th := state.thread(t, a[1].ContactID); th.OptedOut || th.OptedBackIn == nil || th.OptedBackIn.ByName != "Ann Admin" ||
		!th.OptedBackIn.At.Equal(liftedAt) {
		t.Fatalf("Vera's thread after the lift %+v (opted back in %+v), want opted in by Ann Admin at %v", th, th.OptedBackIn, liftedAt)
	}
	wantApplied(t, push(t, vera, api.Mutation{ID: uuid.NewString(), Type: api.MutReply, ThreadID: a[1].ContactID,
		MessageID: uuid.NewString(), Body: "Welcome back"}))

	f.clock.Advance(time.Minute)
	if again, err := admin.OptBackIn(ctx, cf.campaign.ID, optInID); err != nil || !again.OptedBackInAt.Equal(liftedAt) || again.OptedOut {
		t.Fatalf("opted back in twice: %+v, %v; want the first lift kept", again, err)
	}
	// STOP again: opted out again, and the START before it lifts nothing.
	replyFrom(t, f, a[1], from, "stop")
	status, raw := f.raw("POST", "/api/v1/campaigns/"+cf.campaign.ID+"/admin/opt-ins/"+optInID+"/opt-back-in", f.token(admin), "{}")
	if status != 409 || !contains(raw, api.CodeOptedOutAgain, "opted out again after texting START") {
		t.Fatalf("opt back in after a new STOP = %d %s, want 409 %s", status, raw, api.CodeOptedOutAgain)
	}
	f.view(func(tx store.Tx) error {
		out, err := tx.IsOptedOut(ctx, cf.campaign.OrganizationID, a[1].Phone)
		if err == nil && !out {
			t.Error("the number is not opted out after its new STOP")
		}
		return err
	})
	syncAll(t, vera, state, cursor, 0)
	if th := state.thread(t, a[1].ContactID); !th.OptedOut || th.OptedBackIn != nil {
		t.Fatalf("Vera's thread after the new STOP %+v (opted back in %+v), want opted out, no longer opted back in", th, th.OptedBackIn)
	}
}

// TestStopCountsFromABlockedContactOptedBackIn: a block opts the contact
// out of the organization too; lifted on their START, the block stays for
// the volunteer, and their next STOP (to the blocked conversation) opts
// them out again.
func TestStopCountsFromABlockedContactOptedBackIn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 2, numbers: 1})
	_, _, _, a, from := reportedAndOptedIn(t, f, cf)
	replyFrom(t, f, a[0], from, "START")
	admin := f.adminClient()
	ov, err := admin.AdminOverview(ctx, cf.campaign.ID)
	if err != nil || len(ov.OptIns) != 2 || ov.OptIns[0].ContactPhone != a[0].Phone {
		t.Fatalf("opt-ins %+v, %v: want the blocked contact's START first", ov.OptIns, err)
	}
	// The row says so: Opt Back In lifts the opt-out, not the block.
	if !ov.OptIns[0].Blocked || ov.OptIns[1].Blocked {
		t.Fatalf("opt-ins %+v: want the first marked blocked, the second not", ov.OptIns)
	}
	// Each names the action its conversation is of.
	if ov.OptIns[0].ActionTitle != cf.action.Title || ov.OptIns[1].ActionTitle != cf.action.Title {
		t.Fatalf("opt-ins %+v: want each titled %q", ov.OptIns, cf.action.Title)
	}
	if o, err := admin.OptBackIn(ctx, cf.campaign.ID, ov.OptIns[0].ID); err != nil || o.OptedOut {
		t.Fatalf("opt back in: %+v, %v", o, err)
	}
	optedOut := func() bool {
		var out bool
		f.view(func(tx store.Tx) error {
			var err error
			out, err = tx.IsOptedOut(ctx, cf.campaign.OrganizationID, a[0].Phone)
			return err
		})
		return out
	}
	if optedOut() {
		t.Fatal("still opted out after the lift")
	}
	replyFrom(t, f, a[0], from, "Stop.")
	if !optedOut() {
		t.Fatal("a STOP from the blocked contact after the lift did not opt them out")
	}
}
