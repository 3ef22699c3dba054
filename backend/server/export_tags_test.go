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
// report was filed (never asked); --latest by the conversation's newest
// report. Opt Out reads the same way.
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
		CSV: strings.NewReader("first,last,cell,precinct\nAda,Lee,2125550101,1\nBob,Byte,2125550102,2\n")}); err != nil {
		t.Fatal(err)
	}
	threads := map[string]string{} // by first name
	file := func(id, who string, at time.Time, values map[string]string) {
		f.update(func(tx store.Tx) error {
			return tx.CreateReport(ctx, store.Report{ID: id, ThreadID: threads[who], UserID: f.admin.ID, Values: values, SubmittedAt: at})
		})
	}
	f.update(func(tx store.Tx) error {
		cs, _, err := tx.AssignContacts(ctx, actionID, f.org.ID, f.admin.ID, 2, 10, baseTime, nil, nil)
		if err != nil || len(cs) != 2 {
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

	// An update adds the tag Has car; Ada's next report leaves it alone.
	f.clock.Advance(10 * time.Minute)
	added := strings.Replace(orgFile, "      - {key: support,", "      - {key: has_car, label: Has car, kind: tag}\n      - {key: support,", 1)
	if _, err := o.UpdateCampaign(ctx, parseFile(t, added)); err != nil {
		t.Fatal(err)
	}
	file("a4", "Ada", f.clock.Now().Add(time.Minute), map[string]string{"support": "Weak"})

	var all strings.Builder
	if _, err := o.ExportReports(ctx, actionID, &all); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range readCSV(t, all.String()) {
		got[r["report_id"]] = r["will_vote"] + "," + r["has_car"] + "," + r["opt_out"]
	}
	want := map[string]string{
		"a1": "false,,false", // Will vote shown and left off; Has car not yet on the form
		"a2": "true,,false",
		"a3": "true,,false", // left alone: still ticked
		"b1": "false,,false",
		"a4": "true,false,false", // Has car on the form, left off
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("report %s: will_vote,has_car,opt_out = %q, want %q\n%s", id, got[id], w, all.String())
		}
	}

	var latest strings.Builder
	if _, err := o.ExportLatestReports(ctx, actionID, &latest); err != nil {
		t.Fatal(err)
	}
	got = map[string]string{}
	for _, r := range readCSV(t, latest.String()) {
		got[r["first_name"]] = r["will_vote"] + "," + r["has_car"] + "," + r["support"]
	}
	// Bob's only report came before Has car: never asked him.
	if got["Ada"] != "true,false,Weak" || got["Bob"] != "false,,Weak" {
		t.Fatalf("latest: %v\n%s", got, latest.String())
	}
}
