package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/textbank/textbank/backend/server/store"
)

// TestListingsShowTimesAlike: unroutable and users list write a time as
// numbers list does (to the minute, in UTC, said so); --json keeps RFC 3339.
func TestListingsShowTimesAlike(t *testing.T) {
	dir := seedCampaign(t)
	env := map[string]string{"TEXTBANK_DATA": dir}
	// Given in another zone: the listings show UTC.
	at := time.Date(2026, 11, 3, 4, 30, 59, 0, time.FixedZone("EST", -5*3600))
	const shown, inJSON = "2026-11-03 09:30 UTC", "2026-11-03T09:30:59Z"
	addUnroutable(t, dir, store.Unroutable{ID: "u2", ProviderID: "SM2", From: "+12125550102", To: "+12025550100",
		Body: "when?", ReceivedAt: at, CampaignID: "camp"})
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		return tx.CreateUser(ctx, store.User{ID: "olive", Name: "Olive Organizer", Email: "olive@example.org", PasswordHash: "h", CreatedAt: at})
	})
	for _, args := range [][]string{{"unroutable"}, {"users", "list"}} {
		code, out, errOut := runCLI(t, env, "", args...)
		if code != 0 || !strings.Contains(out, shown) || strings.Contains(out, "T09:30") {
			t.Errorf("%v: exit %d\n%s%s\nwant the time as %q", args, code, out, errOut, shown)
		}
	}
	_, out, _ := runCLI(t, env, "", "unroutable", "--json")
	if !strings.Contains(out, `"receivedAt": "`+inJSON+`"`) {
		t.Errorf("unroutable --json: %s\nwant receivedAt %s", out, inJSON)
	}
	_, out, _ = runCLI(t, env, "", "users", "list", "--json")
	if !strings.Contains(out, `"createdAt": "`+inJSON+`"`) {
		t.Errorf("users list --json: %s\nwant createdAt %s", out, inJSON)
	}
	if got := listingTime(at); got != shown {
		t.Errorf("listingTime = %q, want %q", got, shown)
	}
}

// TestCampaignListSaysYesOrNo: the PUBLIC column reads yes or no, as a
// person says it, not Go's true and false; SEARCH JOINS shows a limit only
// for a public campaign.
func TestCampaignListSaysYesOrNo(t *testing.T) {
	dir := seedCampaign(t) // Turnout, 424242, private
	addCampaign(t, dir, store.Campaign{ID: "open", OrganizationID: "org", Name: "Open Doors", JoinCode: "515151", Public: true, Active: true,
		CreatedAt: time.Now().UTC()})
	code, out, errOut := runCLI(t, map[string]string{"TEXTBANK_DATA": dir}, "", "campaign", "list")
	rows := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		rows[f[0]] = f
	}
	// CODE CAMPAIGN(1 or 2 words) ORGANIZATION STATE PUBLIC ...
	if code != 0 || len(rows["424242"]) < 5 || rows["424242"][4] != "no" || len(rows["515151"]) < 6 || rows["515151"][5] != "yes" {
		t.Fatalf("campaign list: exit %d\n%s%s\nwant PUBLIC no for Turnout, yes for Open Doors", code, out, errOut)
	}
	if strings.Contains(out, "true") || strings.Contains(out, "false") {
		t.Errorf("campaign list says true or false:\n%s", out)
	}
	// SEARCH JOINS: a limit only where search lets strangers in.
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "424242") && (!strings.Contains(line, "- (not public)") || strings.Contains(line, "/h")) {
			t.Errorf("campaign list, the private campaign: %q, want SEARCH JOINS \"- (not public)\"", line)
		}
		if strings.HasPrefix(line, "515151") && !strings.Contains(line, "0 joined, 0 refused (20/h)") {
			t.Errorf("campaign list, the public campaign: %q, want SEARCH JOINS \"0 joined, 0 refused (20/h)\"", line)
		}
	}
	_, out, _ = runCLI(t, map[string]string{"TEXTBANK_DATA": dir}, "", "campaign", "list", "--json")
	var list []struct{ Public bool }
	if json.Unmarshal([]byte(out), &list) != nil || len(list) != 2 || list[0].Public == list[1].Public {
		t.Errorf("campaign list --json: %s\nwant public true and false", out)
	}
}

// TestNumbersListCountsWhoTexts: numbers list counts the people given a
// number, an admin who texts too, under a heading that says so, and not as
// VOLUNTEERS, which campaign list keeps for the members who joined as
// volunteers (serve --demo showed 0 volunteers there and 1 on a number).
func TestNumbersListCountsWhoTexts(t *testing.T) {
	dir := seedCampaign(t)
	env := map[string]string{"TEXTBANK_DATA": dir}
	now := time.Now().UTC()
	withStore(t, dir, func(ctx context.Context, tx store.Tx) error {
		if err := tx.CreateUser(ctx, store.User{ID: "ann", Name: "Ann Admin", Email: "ann@example.org", PasswordHash: "h", CreatedAt: now}); err != nil {
			return err
		}
		if _, err := tx.AddMembership(ctx, store.Membership{CampaignID: "camp", UserID: "ann", Role: store.RoleAdmin, CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.AddSendingNumber(ctx, "camp", "+12025550100", now); err != nil {
			return err
		}
		_, err := tx.AssignSendingNumber(ctx, "camp", "ann", now)
		return err
	})
	_, out, errOut := runCLI(t, env, "", "numbers", "list")
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[0], "  TEXTING FROM IT  ") || strings.Contains(lines[0], "VOLUNTEERS") || len(strings.Fields(lines[1])) < 2 || strings.Fields(lines[1])[1] != "1" {
		t.Fatalf("numbers list:\n%s%s\nwant TEXTING FROM IT 1 (the admin)", out, errOut)
	}
	_, out, _ = runCLI(t, env, "", "campaign", "list")
	head, row := strings.Fields(strings.Split(out, "\n")[0]), strings.Fields(strings.Split(out, "\n")[1])
	col := map[string]string{}
	for i, h := range head {
		col[h] = row[i]
	}
	if col["VOLUNTEERS"] != "0" || col["ADMINS"] != "1" {
		t.Errorf("campaign list:\n%s\nwant 0 volunteers and 1 admin", out)
	}
}
