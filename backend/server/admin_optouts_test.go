package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server/store"
)

// TestAdminOptOutsList: the Admin section lists the campaign's opted-out
// conversations, the newest opt-out first, each with where it came from
// and whether Undo Opt Out may lift it, as the conversation's admin read
// says: a report's here may, and its at undoes it; a STOP's and an
// import's may not (the import's names its file); a report's filed in another campaign's conversation
// names that campaign. An import's number this campaign never texted is
// not listed. A volunteer, and an admin of another campaign only, are
// refused (403), with nothing listed.
func TestAdminOptOutsList(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const shared = "+12125559001"
	cf := f.campaign(campaignOpts{name: "This", contacts: 4, numbers: 1, phones: []string{shared}})
	vera, as, from := texted(t, f, cf, 4)
	f.clock.Advance(7 * time.Hour) // past the 6-hour lock on the shared contact
	other := f.campaign(campaignOpts{name: "Other", contacts: 1, numbers: 1, phones: []string{shared}})
	olga, oa, _ := texted(t, f, other, 1)

	byPhone := map[string]api.Assignment{}
	for _, a := range as {
		byPhone[a.Phone] = a
	}
	sharedHere := byPhone[shared]
	var mine []api.Assignment // this campaign's alone
	for _, a := range as {
		if a.Phone != shared {
			mine = append(mine, a)
		}
	}
	f.clock.Advance(time.Minute)
	reportOptOut(t, vera, mine[0].ContactID, nil) // a report's, here
	f.clock.Advance(time.Minute)
	replyFrom(t, f, mine[1], from, "STOP") // the contact's
	// Then blocked: the row says so, since lifting the opt-out leaves the block.
	wantApplied(t, push(t, vera, api.Mutation{ID: uuid.NewString(), Type: api.MutBlock, ThreadID: mine[1].ContactID, Reason: api.BlockHarassment}))
	f.clock.Advance(time.Minute)
	reportOptOut(t, olga, oa[0].ContactID, nil) // a report's, in Other
	f.clock.Advance(time.Minute)
	f.update(func(tx store.Tx) error { // an import: one number here, one never texted
		return tx.AddOptOuts(ctx, f.org.ID, []store.PhoneAt{{Phone: mine[2].Phone, At: f.clock.Now()}, {Phone: "+12125550999", At: f.clock.Now()}}, "imported from old.csv", "old.csv")
	})
	f.update(func(tx store.Tx) error { return tx.SetOptedOut(ctx, []string{mine[2].ContactID}) })

	admin := f.adminClient()
	got, err := admin.AdminOptOuts(ctx, cf.campaign.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		thread, source, reportedIn, file string
		undoable                         bool
	}{
		{mine[2].ContactID, api.OptOutFromImport, "", "old.csv", false},
		{sharedHere.ContactID, api.OptOutFromReport, "Other", "", false},
		{mine[1].ContactID, api.OptOutFromContact, "", "", false},
		{mine[0].ContactID, api.OptOutFromReport, "", "", true},
	}
	if len(got.OptOuts) != len(want) || got.Total != len(want) || got.Next != "" {
		t.Fatalf("opt-outs %+v (total %d, next %q), want %d, newest first", got.OptOuts, got.Total, got.Next, len(want))
	}
	for i, w := range want {
		r := got.OptOuts[i]
		if r.ThreadID != w.thread || r.OptOut.Source != w.source || r.OptOut.Undoable != w.undoable || r.OptOut.ReportedIn != w.reportedIn ||
			r.OptOut.ImportedFrom != w.file || r.ContactName == "" || r.ContactPhone == "" || r.Blocked != (r.ThreadID == mine[1].ContactID) {
			t.Errorf("row %d: %+v, want thread %s from %s (file %q), undoable %v, reported in %q", i, r, w.thread, w.source, w.file, w.undoable, w.reportedIn)
		}
		read, err := admin.AdminThread(ctx, cf.campaign.ID, r.ThreadID)
		if err != nil || read.OptOut == nil || *read.OptOut != r.OptOut {
			t.Errorf("row %d says %+v; the conversation's read %+v (%v)", i, r.OptOut, read.OptOut, err)
		}
	}
	// The row's time undoes it, as the conversation's does.
	if _, err := admin.UndoOptOut(ctx, cf.campaign.ID, mine[0].ContactID, got.OptOuts[3].OptOut.At); err != nil {
		t.Fatalf("undo from the list's row: %v", err)
	}
	if after, err := admin.AdminOptOuts(ctx, cf.campaign.ID, ""); err != nil || len(after.OptOuts) != 3 || after.Total != 3 {
		t.Fatalf("after the undo: %+v %v, want 3 left", after, err)
	}

	path := "/api/v1/campaigns/" + cf.campaign.ID + "/admin/opt-outs"
	otherAdmin, otherUser := f.user("oscar") // an admin of Other only
	f.update(func(tx store.Tx) error {
		_, err := tx.AddMembership(ctx, store.Membership{CampaignID: other.campaign.ID, UserID: otherUser.ID, Role: store.RoleAdmin, CreatedAt: baseTime})
		return err
	})
	for who, c := range map[string]*api.Client{"a volunteer": vera, "another campaign's admin": otherAdmin} {
		if status, raw := f.raw("GET", path, f.token(c), nil); status != 403 || !contains(raw, api.CodeForbidden, "only the campaign's admins") {
			t.Errorf("%s: %d %s, want 403", who, status, raw)
		}
	}
}

// TestAdminOptOutsPages: past a page, the list says where the next starts;
// the pages hold every opted-out conversation once, newest first, and the
// total counts them all. A next the server did not give is refused,
// naming after.
func TestAdminOptOutsPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const n = 53 // past one page of 50
	cf := f.campaign(campaignOpts{contacts: n, numbers: 1})
	vera, _ := f.member("vera", cf)
	var as []api.Assignment
	for len(as) < n { // a batch at a time
		b, err := vera.Batch(ctx, cf.action.ID)
		if err != nil || len(b.Assigned) == 0 {
			t.Fatalf("batch after %d: %+v %v", len(as), b, err)
		}
		for _, a := range b.Assigned {
			res, _ := sendInitial(t, vera, a.ContactID)
			wantApplied(t, res)
		}
		as = append(as, b.Assigned...)
	}
	for _, a := range as {
		f.clock.Advance(time.Second)
		reportOptOut(t, vera, a.ContactID, nil)
	}
	admin := f.adminClient()
	seen := map[string]bool{}
	var pages int
	var last time.Time
	for after := ""; ; pages++ {
		p, err := admin.AdminOptOuts(ctx, cf.campaign.ID, after)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != n {
			t.Errorf("total %d, want %d", p.Total, n)
		}
		for _, r := range p.OptOuts {
			if seen[r.ThreadID] {
				t.Errorf("%s listed twice", r.ThreadID)
			}
			if !last.IsZero() && r.OptOut.At.After(last) {
				t.Errorf("%s at %v after one at %v: not newest first", r.ThreadID, r.OptOut.At, last)
			}
			seen[r.ThreadID], last = true, r.OptOut.At
		}
		if after = p.Next; after == "" {
			break
		}
	}
	if len(seen) != n || pages != 1 {
		t.Errorf("%d conversations in %d pages, want %d in 2", len(seen), pages+1, n)
	}
	for _, bad := range []string{"nonsense", "2026-01-01~", "yesterday~abc"} {
		status, raw := f.raw("GET", "/api/v1/campaigns/"+cf.campaign.ID+"/admin/opt-outs?after="+bad, f.token(admin), nil)
		if status != 400 || !contains(raw, `"after"`, "not where a page of opt-outs ended") {
			t.Errorf("after=%s: %d %s, want 400 naming after", bad, status, raw)
		}
	}
}
