package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server"
	"github.com/textbank/textbank/backend/server/store"
)

// TestExportReportsTags: a tag column says how the box stood when the
// report was filed: "false" for a box a report showed and nobody ticked,
// the earlier value for one a later report left alone (the app files only
// what changed), and empty for a field added to the action after the
// report was filled (never asked: filled in the app before it, offline,
// and sent after, too); --latest by the conversation's newest filling.
// Opt Out reads the same way. The filed column names the columns each
// report filed, so that an empty cell reads "cleared" where it lists the
// column and "left as it was" where not (with --latest: answered and
// cleared, or never answered).
func TestExportReportsTags(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	res, err := o.CreateCampaign(ctx, parseFile(t, orgFile))
	if err != nil {
		t.Fatal(err)
	}
	actionID := res.Actions[0].ID
	if _, err := o.ImportContacts(ctx, server.ImportRequest{ActionID: actionID,
		CSV: strings.NewReader("first,last,cell,precinct\nAda,Lee,2125550101,1\nBob,Byte,2125550102,2\nCy,Sea,2125550103,3\n")}); err != nil {
		t.Fatal(err)
	}
	threads := map[string]string{} // by first name
	fileFilled := func(id, who string, filled, at time.Time, values map[string]string) {
		f.update(func(tx store.Tx) error {
			return tx.CreateReport(ctx, store.Report{ID: id, ThreadID: threads[who], UserID: f.admin.ID, Values: values, SubmittedAt: at, FilledAt: &filled})
		})
	}
	file := func(id, who string, at time.Time, values map[string]string) { fileFilled(id, who, at, at, values) }
	f.update(func(tx store.Tx) error {
		cs, _, err := tx.AssignContacts(ctx, actionID, f.org.ID, f.admin.ID, 3, 10, baseTime, nil, nil)
		if err != nil || len(cs) != 3 {
			t.Fatalf("assign: %v %v", cs, err)
		}
		for _, c := range cs {
			threads[c.FirstName] = c.ID
			if err := tx.CreateThread(ctx, store.Thread{ID: c.ID, ActionID: actionID, CampaignID: res.CampaignID, OrganizationID: f.org.ID,
				OwnerID: f.admin.ID, ContactPhone: c.Phone, LastMessageAt: baseTime, CreatedAt: baseTime}); err != nil {
				return err
			}
		}
		return nil
	})
	t0 := f.clock.Now()
	// Ada: support alone (Will vote left off), then Will vote ticked, then notes alone.
	file("a1", "Ada", t0.Add(time.Minute), map[string]string{"support": "Strong"})
	file("a2", "Ada", t0.Add(2*time.Minute), map[string]string{"will_vote": "true"})
	file("a3", "Ada", t0.Add(3*time.Minute), map[string]string{"notes": "ride needed"})
	// Bob: one report, before Has car was added.
	file("b1", "Bob", t0.Add(4*time.Minute), map[string]string{"support": "Weak"})
	// Cy: filled offline before Has car was added, sent after it.
	offline := t0.Add(5 * time.Minute)

	// An update adds the tag Has car; Ada's next report leaves it alone.
	f.clock.Advance(10 * time.Minute)
	added := strings.Replace(orgFile, "      - {key: support,", "      - {key: has_car, label: Has car, kind: tag}\n      - {key: support,", 1)
	if _, err := o.UpdateCampaign(ctx, parseFile(t, added)); err != nil {
		t.Fatal(err)
	}
	file("a4", "Ada", f.clock.Now().Add(time.Minute), map[string]string{"support": "Weak"})
	fileFilled("c1", "Cy", offline, f.clock.Now().Add(2*time.Minute), map[string]string{"notes": "call back"})
	// Ada, filled offline before the update and sent after a4: its form had
	// no Has car (a4's did); then Ada's support cleared.
	fileFilled("a5", "Ada", offline, f.clock.Now().Add(3*time.Minute), map[string]string{"will_vote": "true"})
	file("a6", "Ada", f.clock.Now().Add(4*time.Minute), map[string]string{"support": ""})

	var all strings.Builder
	if _, err := o.ExportReports(ctx, actionID, &all); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range readCSV(t, all.String()) {
		got[r["report_id"]] = r["will_vote"] + "," + r["has_car"] + "," + r["opt_out"] + "," + r["support"] + "," + r["filed"]
	}
	want := map[string]string{
		"a1": "false,,false,Strong,support", // Will vote shown and left off; Has car not yet on the form
		"a2": "true,,false,,will_vote",
		"a3": "true,,false,,notes", // left alone: still ticked
		"b1": "false,,false,Weak,support",
		"a4": "true,false,false,Weak,support", // Has car on the form, left off
		"c1": "false,,false,,notes",           // filled before Has car was added: never asked
		"a5": "true,,false,,will_vote",        // the same, though a4 was asked
		"a6": "true,false,false,,support",     // support cleared: empty, and filed
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("report %s: will_vote,has_car,opt_out,support,filed = %q, want %q\n%s", id, got[id], w, all.String())
		}
	}

	var latest strings.Builder
	if _, err := o.ExportLatestReports(ctx, actionID, &latest); err != nil {
		t.Fatal(err)
	}
	got = map[string]string{}
	for _, r := range readCSV(t, latest.String()) {
		got[r["first_name"]] = r["will_vote"] + "," + r["has_car"] + "," + r["support"] + "," + r["filed"]
	}
	// Bob's only report came before Has car: never asked him; nor Cy, whose
	// one was filled before it. Ada was (a4), though her newest reports
	// came from a form without it; her support was answered and cleared,
	// Cy's never answered.
	if got["Ada"] != "true,false,,will_vote support notes" || got["Bob"] != "false,,Weak,support" || got["Cy"] != "false,,,notes" {
		t.Fatalf("latest: %v\n%s", got, latest.String())
	}
}
