package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/campaignfile"
)

// TestRemovedMemberIsNotMadeAdmin: one members remove took off a campaign
// comes back by members readmit alone. A campaign file kept from before
// the removal (they were an admin once) and admin add are refused, naming
// them, when they were removed and the command that lets them back, and
// change nothing: not the membership, not the rest of the file's update.
// Readmitted, the same file makes them an admin, as it does anyone listed.
func TestRemovedMemberIsNotMadeAdmin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.organizer(f.st)
	file := func(name string, admins ...string) string {
		return `
organization: Test Org
campaign: {name: ` + name + `, join_code: "424242", admins: [` + strings.Join(admins, ", ") + `]}
actions:
  - title: Call list
    scripts: ["Hi {first_name}, the board meets Tuesday."]
`
	}
	if _, err := o.CreateCampaign(ctx, parseFile(t, file("Board Members", f.admin.Email))); err != nil {
		t.Fatal(err)
	}
	vera, v := f.user("vera")
	if _, err := vera.Join(ctx, "424242"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.RemoveMember(ctx, v.Email, "424242"); err != nil {
		t.Fatal(err)
	}
	role := func() string {
		t.Helper()
		list, err := o.Members(ctx, "424242")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range list.Members {
			if m.Email == v.Email {
				return m.Role
			}
		}
		return ""
	}

	// Her email as typed in a file or a command: any case, spaces.
	typed := "  " + strings.ToUpper(v.Email) + " "
	_, err := o.UpdateCampaign(ctx, parseFile(t, file("Board Members 2026", f.admin.Email, `"`+typed+`"`)))
	var ps campaignfile.Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Path != campaignfile.AdminPath(1) ||
		!strings.Contains(ps[0].Msg, v.Email+" was removed from campaign 424242 on ") ||
		!strings.Contains(ps[0].Msg, "only textbankd members readmit "+v.Email+" --campaign 424242 lets them back") {
		t.Fatalf("update listing her: %v; want one problem at campaign.admins[1] naming her and members readmit", err)
	}
	if _, err := o.AddAdmin(ctx, typed, "424242"); err == nil || !strings.Contains(err.Error(), "members readmit "+v.Email) || !strings.Contains(err.Error(), "nothing changed") {
		t.Fatalf("admin add of her: %v; want it refused naming members readmit", err)
	}
	if r := role(); r != "" {
		t.Fatalf("after the refusals she is a member, %s", r)
	}
	if list, err := o.Members(ctx, "424242"); err != nil || list.Campaign != "Board Members" {
		t.Fatalf("the refused update renamed the campaign: %+v %v", list, err)
	}
	if _, err := vera.Join(ctx, "424242"); err == nil {
		t.Fatal("she joined with the code after the refusals")
	}

	if _, err := o.ReadmitMember(ctx, v.Email, "424242"); err != nil {
		t.Fatal(err)
	}
	res, err := o.UpdateCampaign(ctx, parseFile(t, file("Board Members 2026", f.admin.Email, `"`+typed+`"`)))
	if err != nil || len(res.AdminsAdded) != 1 || res.AdminsAdded[0] != v.Email || res.Name != "Board Members 2026" {
		t.Fatalf("update after the readmission: %+v %v; want her an admin and the campaign renamed", res, err)
	}
	if r := role(); r != "admin" {
		t.Fatalf("after the readmission and the update she is %q, want admin", r)
	}
}
