package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

var organizerTests = []test{
	{"organizer/organizations, campaign and user listings", testListings},
	{"organizer/bulk import through one statement", testInsertContacts},
	{"organizer/exports and script stats", testExports},
}

func testListings(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	w := newWorld(t, st, "lst", 3)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		// A later organization of the same name: ByName finds the first.
		return tx.CreateOrganization(ctx, store.Organization{ID: "lst-org-2", Name: w.Org.Name, CreatedAt: at(time.Hour)})
	})
	if o := get(t, st, func(ctx context.Context, tx store.Tx) (store.Organization, error) {
		return tx.OrganizationByName(ctx, w.Org.Name)
	}); o.ID != w.Org.ID || !o.CreatedAt.Equal(t0) {
		t.Errorf("OrganizationByName = %+v, want the oldest, %s", o, w.Org.ID)
	}
	if o := get(t, st, func(ctx context.Context, tx store.Tx) (store.Organization, error) {
		return tx.OrganizationByID(ctx, "lst-org-2")
	}); o.Name != w.Org.Name {
		t.Errorf("OrganizationByID = %+v", o)
	}
	for _, fn := range []func(tx store.Tx) error{
		func(tx store.Tx) error { _, err := tx.OrganizationByName(ctx, "nobody"); return err },
		func(tx store.Tx) error { _, err := tx.OrganizationByID(ctx, "nobody"); return err },
	} {
		if err := st.View(ctx, fn); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing organization: %v, want ErrNotFound", err)
		}
	}
	retired := store.Campaign{ID: "lst-old", OrganizationID: w.Org.ID, Name: "Old", JoinCode: "777777", CreatedAt: t0}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.CreateCampaign(ctx, retired) })
	active := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.CampaignListing, error) {
		return tx.ListCampaigns(ctx, false)
	})
	if len(active) != 1 {
		t.Fatalf("active campaigns = %+v", active)
	}
	l := active[0]
	if l.ID != w.Campaign.ID || l.OrganizationName != w.Org.Name || l.Actions != 1 || l.Volunteers != 1 || l.Admins != 1 || l.Contacts != 3 {
		t.Errorf("listing = %+v, want 1 action, 1 volunteer, 1 admin, 3 contacts", l)
	}
	all := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.CampaignListing, error) {
		return tx.ListCampaigns(ctx, true)
	})
	if len(all) != 2 || all[0].ID != w.Campaign.ID || all[1].ID != "lst-old" {
		t.Errorf("all campaigns = %d, want active first then the retired one", len(all))
	}
	users := get(t, st, func(ctx context.Context, tx store.Tx) ([]store.UserListing, error) { return tx.ListUsers(ctx) })
	if len(users) != 2 {
		t.Fatalf("ListUsers = %+v", users)
	}
	for _, u := range users {
		if u.PasswordHash != "" {
			t.Errorf("ListUsers shows %s's password hash", u.Email)
		}
		if len(u.Memberships) != 1 || u.Memberships[0].CampaignID != w.Campaign.ID || u.Memberships[0].JoinCode != w.Campaign.JoinCode ||
			u.Memberships[0].Campaign != w.Campaign.Name {
			t.Errorf("memberships of %s = %+v", u.Email, u.Memberships)
		}
	}
	if users[0].Email > users[1].Email {
		t.Errorf("users not in email order: %s, %s", users[0].Email, users[1].Email)
	}
}

func testInsertContacts(t *testing.T, st store.Store) {
	ctx := ctxT(t)
	w := newWorld(t, st, "imp", 2)
	cs := make([]store.Contact, 4500)
	for i := range cs {
		cs[i] = store.Contact{ID: fmt.Sprintf("imp-new-%05d", i), ActionID: w.Action.ID, FirstName: "N", Phone: fmt.Sprintf("+1646555%04d", i),
			ScriptIndex: i % 3, CreatedAt: at(time.Duration(i+10) * time.Millisecond)}
	}
	cs[7].Fields = map[string]string{"ward": "7"}
	cs[8].Fields = map[string]string{"precinct": "", "2nd_ward": "x"}
	var progress []int
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.InsertContacts(ctx, cs, func(done int) { progress = append(progress, done) })
	})
	if len(progress) == 0 || progress[len(progress)-1] != len(cs) {
		t.Errorf("progress = %v, want it to end at %d", progress, len(cs))
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountContacts(ctx, w.Action.ID) }); n != len(cs)+2 {
		t.Errorf("CountContacts = %d, want %d", n, len(cs)+2)
	}
	c := get(t, st, func(ctx context.Context, tx store.Tx) (store.Contact, error) { return tx.ContactByID(ctx, cs[7].ID) })
	if c.State != store.ContactUnassigned || c.Fields["ward"] != "7" || c.ScriptIndex != 1 || !c.CreatedAt.Equal(cs[7].CreatedAt) {
		t.Errorf("imported contact = %+v", c)
	}
	// A column counts once some contact has a value for it: an empty one
	// does not (a merge field name may start with a digit). A standard
	// field is its own column (the world's contacts have zips).
	for field, want := range map[string]bool{"ward": true, "precinct": false, "county": false, "2nd_ward": true, "zip": true, "last_name": true} {
		if has := get(t, st, func(ctx context.Context, tx store.Tx) (bool, error) {
			return tx.ContactsHaveField(ctx, w.Action.ID, field)
		}); has != want {
			t.Errorf("ContactsHaveField(%q) = %v, want %v", field, has, want)
		}
	}
	phones := get(t, st, func(ctx context.Context, tx store.Tx) (map[string]struct{}, error) {
		return tx.ActionPhones(ctx, w.Action.ID)
	})
	if len(phones) != len(cs)+2 {
		t.Errorf("ActionPhones = %d, want %d", len(phones), len(cs)+2)
	}
	// One duplicate phone fails the import, and the transaction stores none.
	again := []store.Contact{{ID: "imp-x1", ActionID: w.Action.ID, Phone: "+13125550000", CreatedAt: t0},
		{ID: "imp-x2", ActionID: w.Action.ID, Phone: w.Contacts[0].Phone, CreatedAt: t0}}
	err := st.Update(ctx, func(tx store.Tx) error { return tx.InsertContacts(ctx, again, nil) })
	if !errors.Is(err, store.ErrDuplicate) || !strings.Contains(err.Error(), w.Contacts[0].Phone) {
		t.Errorf("import with a phone the action has: %v, want ErrDuplicate naming it", err)
	}
	if n := get(t, st, func(ctx context.Context, tx store.Tx) (int, error) { return tx.CountContacts(ctx, w.Action.ID) }); n != len(cs)+2 {
		t.Errorf("after a failed import CountContacts = %d, want %d", n, len(cs)+2)
	}
}

func testExports(t *testing.T, st store.Store) {
	w := newWorld(t, st, "exp", 4)
	th0, th1 := w.thread(t, st, 0, w.Volunteer.ID), w.thread(t, st, 1, w.Volunteer.ID)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, err := range []error{
			tx.CreateMessage(ctx, store.Message{ID: "e-i0", ThreadID: th0.ID, Direction: dirOut, Body: "Hi 0", Status: "delivered", ProviderID: "SMe0",
				Initial: true, SenderID: w.Volunteer.ID, CreatedAt: at(time.Minute), SentAt: ptr(at(time.Minute))}),
			tx.CreateMessage(ctx, store.Message{ID: "e-r0", ThreadID: th0.ID, Direction: dirIn, Body: "STOP", Status: statusRecv, ProviderID: "SMe0r",
				RoutedTo: w.Volunteer.ID, CreatedAt: at(2 * time.Minute)}),
			tx.CreateMessage(ctx, store.Message{ID: "e-i1", ThreadID: th1.ID, Direction: dirOut, Body: "Hi 1", Status: "failed", ProviderID: "SMe1",
				Initial: true, SenderID: w.Admin.ID, Error: "30003", CreatedAt: at(3 * time.Minute)}),
			tx.AddOptOut(ctx, store.OptOut{OrganizationID: w.Org.ID, Phone: th0.ContactPhone, Reason: "STOP", CreatedAt: at(2 * time.Minute)}),
			tx.CreateReport(ctx, store.Report{ID: "e-rep1", ThreadID: th1.ID, UserID: w.Volunteer.ID, Values: map[string]string{"vote": "no"}, SubmittedAt: at(5 * time.Minute)}),
			// Filled offline a minute before it came (the export asks
			// whether a tag was on its form by then).
			tx.CreateReport(ctx, store.Report{ID: "e-rep0", ThreadID: th0.ID, UserID: w.Admin.ID, Values: map[string]string{"vote": "yes"}, SubmittedAt: at(4 * time.Minute),
				FilledAt: ptr(at(3 * time.Minute))}),
			// Reassigned since: the reply stays the volunteer's.
			tx.UpdateThread(ctx, withOwner(th0, w.Admin.ID)),
		} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		var reports []store.ReportRow
		if err := tx.EachReportRow(ctx, w.Action.ID, func(r store.ReportRow) error { reports = append(reports, r); return nil }); err != nil {
			return err
		}
		if len(reports) != 2 || reports[0].ID != "e-rep0" || reports[1].ID != "e-rep1" {
			t.Fatalf("report rows = %+v, want e-rep0 then e-rep1 (submission order)", reports)
		}
		r := reports[0]
		if r.Values["vote"] != "yes" || r.Contact.ID != th0.ID || r.Contact.Phone != th0.ContactPhone || r.VolunteerEmail != w.Admin.Email ||
			r.VolunteerName != w.Admin.Name || !r.OptedOut || !r.SubmittedAt.Equal(at(4*time.Minute)) ||
			r.FilledAt == nil || !r.FilledAt.Equal(at(3*time.Minute)) {
			t.Errorf("report row = %+v", r)
		}
		if reports[1].FilledAt != nil {
			t.Errorf("a report stored without the time it was filled reads filled at %v", reports[1].FilledAt)
		}
		if reports[1].OptedOut {
			t.Errorf("report row of a number not opted out says opted out")
		}
		// What counting needs: each report with its contact's initial script (contact 0's is 0, 1's is 1).
		byID := map[string]store.ScriptReport{}
		if err := tx.EachScriptReport(ctx, w.Action.ID, func(r store.ScriptReport) error { byID[r.ID] = r; return nil }); err != nil {
			return err
		}
		if r0, r1 := byID["e-rep0"], byID["e-rep1"]; len(byID) != 2 || r0.ThreadID != th0.ID || r0.ScriptIndex != 0 || r0.Values["vote"] != "yes" ||
			!r0.SubmittedAt.Equal(at(4*time.Minute)) || r1.ThreadID != th1.ID || r1.ScriptIndex != 1 || r1.Values["vote"] != "no" {
			t.Errorf("script reports = %+v", byID)
		}
		if err := tx.EachScriptReport(ctx, "no-such-action", func(store.ScriptReport) error { t.Error("a report of no action"); return nil }); err != nil {
			return err
		}
		var msgs []store.MessageRow
		if err := tx.EachMessageRow(ctx, w.Action.ID, func(m store.MessageRow) error { msgs = append(msgs, m); return nil }); err != nil {
			return err
		}
		if len(msgs) != 3 || msgs[0].ID != "e-i0" || msgs[1].ID != "e-r0" || msgs[2].ID != "e-i1" {
			t.Fatalf("message rows = %d, want e-i0, e-r0, e-i1", len(msgs))
		}
		// An inbound text's volunteer is whom it was routed to (the owner
		// then, not the admin holding the thread now); an outbound one's is
		// its sender.
		if msgs[1].VolunteerEmail != w.Volunteer.Email || msgs[1].VolunteerName != w.Volunteer.Name || msgs[1].RoutedTo != w.Volunteer.ID || msgs[2].VolunteerEmail != w.Admin.Email || msgs[0].SendingNumber != w.Number ||
			!msgs[0].OptedOut || msgs[2].OptedOut || msgs[2].Error != "30003" || msgs[0].SentAt == nil || msgs[2].SentAt != nil ||
			msgs[1].Contact.ID != th0.ID {
			t.Errorf("message rows = %+v", msgs)
		}
		stopErr := errors.New("stop")
		if err := tx.EachMessageRow(ctx, w.Action.ID, func(store.MessageRow) error { return stopErr }); !errors.Is(err, stopErr) {
			t.Errorf("EachMessageRow did not return fn's error: %v", err)
		}
		stats, err := tx.ScriptStats(ctx, w.Action.ID, w.Org.ID)
		if err != nil {
			return err
		}
		// Contacts 0 and 2 have script 0, 1 and 3 script 1 (newWorld).
		want := []store.ScriptStat{
			{ScriptIndex: 0, Contacts: 2, Sent: 1, Delivered: 1, Failed: 0, Replied: 1, OptedOut: 1},
			{ScriptIndex: 1, Contacts: 2, Sent: 1, Delivered: 0, Failed: 1, Replied: 0, OptedOut: 0},
		}
		if fmt.Sprint(stats) != fmt.Sprint(want) {
			t.Errorf("ScriptStats = %+v, want %+v", stats, want)
		}
		return nil
	})
	// Submission order, which the latest-reports export merges by: of two
	// reports sent in the same instant the one with the greater id is the
	// later (an order both engines agree on).
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, r := range []store.Report{
			{ID: "e-rep0b", ThreadID: th0.ID, UserID: w.Admin.ID, Values: map[string]string{"vote": "maybe"}, SubmittedAt: at(6 * time.Minute)},
			{ID: "e-rep1z", ThreadID: th1.ID, UserID: w.Volunteer.ID, Values: map[string]string{"vote": "yes"}, SubmittedAt: at(5 * time.Minute)},
		} {
			if err := tx.CreateReport(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, st, func(ctx context.Context, tx store.Tx) error {
		var ids []string
		if err := tx.EachReportRow(ctx, w.Action.ID, func(r store.ReportRow) error { ids = append(ids, r.ID); return nil }); err != nil {
			return err
		}
		if fmt.Sprint(ids) != "[e-rep0 e-rep1 e-rep1z e-rep0b]" {
			t.Errorf("report rows = %v, want [e-rep0 e-rep1 e-rep1z e-rep0b]", ids)
		}
		return nil
	})
}
