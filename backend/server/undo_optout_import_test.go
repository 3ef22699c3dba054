package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/api"
	"github.com/textbank/textbank/backend/server"
)

// TestImportedListBindsAReportsOptOut: a volunteer's report opted a number
// out, then the organizer imports the organization's opt-out list, which
// names it (counted as opted out already). The opt-out is the list's now:
// the Admin read says so and offers no undo, and Undo Opt Out is refused.
func TestImportedListBindsAReportsOptOut(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cf := f.campaign(campaignOpts{contacts: 1, numbers: 1})
	vera, a, _ := texted(t, f, cf, 1)
	reportOptOut(t, vera, a[0].ContactID, nil)
	res, err := f.organizer(f.st).ImportOptOuts(ctx, server.OptOutImportRequest{Org: f.org.ID,
		CSV: strings.NewReader("phone\n" + a[0].Phone + "\n"), Source: "list.csv"})
	if err != nil || res.Added != 0 || res.AlreadyOptedOut != 1 {
		t.Fatalf("import: %+v, %v; want the number counted as opted out already", res, err)
	}
	admin := f.adminClient()
	read, err := admin.AdminThread(ctx, cf.campaign.ID, a[0].ContactID)
	if err != nil || read.OptOut == nil || read.OptOut.Undoable || read.OptOut.Reason != "imported from list.csv" {
		t.Fatalf("read %+v, %v: want the list's opt-out, not undoable", read.OptOut, err)
	}
	_, err = admin.UndoOptOut(ctx, cf.campaign.ID, a[0].ContactID, read.OptOut.At)
	var ae *api.APIError
	if !errors.As(err, &ae) || ae.Err.Code != api.CodeOptOutNotReported || !strings.Contains(ae.Err.Message, "imported from list.csv") {
		t.Fatalf("undo: %v, want %s", err, api.CodeOptOutNotReported)
	}
}
