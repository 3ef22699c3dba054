package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestListingsMarkArchivedCampaigns: users list and numbers list name
// campaigns by join code, and an archived campaign's code is free for a new
// campaign, so both mark archived campaigns (text and --json) rather than
// show two campaigns under one code alike; numbers list --campaign takes
// the archived one's id.
func TestListingsMarkArchivedCampaigns(t *testing.T) {
	env, oldCode, _ := organizerWithCampaign(t)
	if code, _, errOut := runCLI(t, env, "", "numbers", "add", "--campaign", oldCode, "+12175550101"); code != 0 {
		t.Fatalf("numbers add: %s", errOut)
	}
	_, out, _ := runCLI(t, env, "", "campaign", "list", "--json")
	var camps []struct{ ID string }
	if json.Unmarshal([]byte(out), &camps) != nil || len(camps) != 1 {
		t.Fatalf("campaign list --json: %s", out)
	}
	if code, _, errOut := runCLI(t, env, "", "campaign", "archive", oldCode, "--yes"); code != 0 {
		t.Fatalf("archive: %s", errOut)
	}
	// Next season's campaign takes the freed code.
	next := exampleVariant(t, env["TEXTBANK_DATA"], "next.yaml", "name: Springfield GOTV 2026", "name: Springfield GOTV 2028",
		"join_code: generate", "join_code: \""+oldCode+"\"")
	if code, out, errOut := runCLI(t, env, "", "campaign", "create", next); code != 0 {
		t.Fatalf("next campaign: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, env, "", "numbers", "add", "--campaign", oldCode, "+12175550102"); code != 0 {
		t.Fatalf("numbers add: %s", errOut)
	}

	code, out, _ := runCLI(t, env, "", "users", "list")
	if code != 0 || !strings.Contains(out, oldCode+" Springfield GOTV 2026 (admin, archived)") || !strings.Contains(out, oldCode+" Springfield GOTV 2028 (admin)") {
		t.Fatalf("users list:\n%s", out)
	}
	if strings.Contains(out, "2028 (admin, archived)") {
		t.Fatalf("users list marks the active campaign archived:\n%s", out)
	}
	code, out, _ = runCLI(t, env, "", "users", "list", "--json")
	var users []struct {
		Memberships []struct {
			Campaign string
			Archived bool
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &users) != nil || len(users) != 1 || len(users[0].Memberships) != 2 {
		t.Fatalf("users list --json: %d %s", code, out)
	}
	for _, m := range users[0].Memberships {
		if m.Archived != strings.HasSuffix(m.Campaign, "2026") {
			t.Fatalf("users list --json: %+v", users[0].Memberships)
		}
	}

	code, out, _ = runCLI(t, env, "", "numbers", "list")
	if code != 0 || !strings.Contains(out, "+12175550101  0                none yet   "+oldCode+" Springfield GOTV 2026 (archived)") ||
		!strings.Contains(out, "+12175550102  0                none yet   "+oldCode+" Springfield GOTV 2028\n") {
		t.Fatalf("numbers list:\n%s", out)
	}
	code, out, _ = runCLI(t, env, "", "numbers", "list", "--json")
	var nums []NumberListing
	if code != 0 || json.Unmarshal([]byte(out), &nums) != nil || len(nums) != 2 {
		t.Fatalf("numbers list --json: %d %s", code, out)
	}
	// One spelling of keys across the commands, the API's: joinCode.
	if !strings.Contains(out, `"joinCode": "`+oldCode+`"`) || strings.Contains(out, `"join_code"`) {
		t.Fatalf("numbers list --json keys: %s", out)
	}
	for _, n := range nums {
		if n.Archived != (n.Phone == "+12175550101") {
			t.Fatalf("numbers list --json: %+v", nums)
		}
	}
	// The archived campaign's own numbers, by its id, as the exports take
	// it (its code is the new campaign's now); --campaign took only a
	// join code.
	code, out, errOut := runCLI(t, env, "", "numbers", "list", "--campaign", camps[0].ID)
	if code != 0 || !strings.Contains(out, "+12175550101") || strings.Contains(out, "+12175550102") {
		t.Fatalf("numbers list --campaign ID of the archived one: %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, env, "", "numbers", "list", "--campaign", "no-such-campaign")
	if code != 1 || !strings.Contains(errOut, `no campaign has join code or id "no-such-campaign"`) {
		t.Fatalf("numbers list --campaign of no campaign: %d %s", code, errOut)
	}
}

// TestArchivedCampaignExportsByID: once a campaign is archived its join
// code names no campaign (it may be a newer one's), and an organizer who
// lost the action's id still reaches its stats and exports: --campaign
// takes the campaign's id from campaign list --all, and the refusal by code
// says so.
func TestArchivedCampaignExportsByID(t *testing.T) {
	env, code0, actionID := organizerWithCampaign(t)
	_, out, _ := runCLI(t, env, "", "campaign", "list", "--json")
	var list []struct{ ID string }
	if json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 {
		t.Fatalf("campaign list --json: %s", out)
	}
	if code, _, errOut := runCLI(t, env, "", "campaign", "archive", code0, "--yes"); code != 0 {
		t.Fatalf("archive: %s", errOut)
	}
	code, _, errOut := runCLI(t, env, "", "export", "reports", "--campaign", code0, "--action-title", "Get Out The Vote")
	// Named as ActiveCampaign names it (one home for the words), with
	// what reaches it.
	if code != 1 || !strings.Contains(errOut, "no active campaign has join code "+code0+`: it was "Springfield GOTV 2026"'s, which is archived; give its id to reach it (textbankd campaign list --all shows it)`) {
		t.Fatalf("export by an archived code: exit %d, stderr %q", code, errOut)
	}
	other := "111111"
	if code0 == other {
		other = "222222"
	}
	code, _, errOut = runCLI(t, env, "", "export", "reports", "--campaign", other, "--action-title", "Get Out The Vote")
	if code != 1 || !strings.Contains(errOut, "no active campaign has join code "+other+" (textbankd campaign list shows them; for an archived campaign give its id from campaign list --all)") {
		t.Fatalf("export by a code no campaign had: exit %d, stderr %q", code, errOut)
	}
	code, out, errOut = runCLI(t, env, "", "stats", "--campaign", list[0].ID, "--action-title", "Get Out The Vote", "--json")
	var st struct{ ActionID string }
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.ActionID != actionID {
		t.Fatalf("stats by the archived campaign's id: %d %s %s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, env, "", "export", "messages", "--campaign", "no-such-campaign", "--action-title", "Get Out The Vote")
	if code != 1 || !strings.Contains(errOut, `no campaign has join code or id "no-such-campaign" (textbankd campaign list --all shows both)`) {
		t.Fatalf("unknown campaign: exit %d, stderr %q", code, errOut)
	}
	// Contacts still go into active campaigns only.
	csv := writeFile(t, env["TEXTBANK_DATA"], "c.csv", "first_name,last_name,cell\nAda,L,2175550100\n")
	code, _, errOut = runCLI(t, env, "", "contacts", "import", csv, "--campaign", list[0].ID, "--action-title", "Get Out The Vote")
	if code != 1 || !strings.Contains(errOut, "is archived; contacts go into active campaigns only") {
		t.Fatalf("import into an archived campaign: exit %d, stderr %q", code, errOut)
	}
}

// TestCommandsNameAnArchivedCampaignsCode: a command given the join code
// of a campaign archived since (archive twice, admin add, numbers add)
// names the campaign the code was, as campaign update does; it said only
// that no active campaign had the code, which an organizer holding that
// campaign's files could not square. A code no campaign had reads as
// before, and nothing is changed.
func TestCommandsNameAnArchivedCampaignsCode(t *testing.T) {
	env, code0, _ := organizerWithCampaign(t)
	if code, _, errOut := runCLI(t, env, "", "campaign", "archive", code0, "--yes"); code != 0 {
		t.Fatalf("archive: %s", errOut)
	}
	want := "no active campaign has join code " + code0 + `: it was "Springfield GOTV 2026"'s, which is archived (textbankd campaign list shows them)`
	for _, args := range [][]string{
		{"campaign", "archive", code0, "--yes"},
		{"admin", "add", "orla@springfieldvotes.org", "--campaign", code0},
		{"numbers", "add", "--campaign", code0, "+12175550199"},
	} {
		if code, out, errOut := runCLI(t, env, "", args...); code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("%v: exit %d, stdout %s, stderr %q; want %q", args, code, out, errOut, want)
		}
	}
	if _, out, _ := runCLI(t, env, "", "numbers", "list"); strings.Contains(out, "+12175550199") {
		t.Fatalf("a refused numbers add added the number:\n%s", out)
	}
	if _, _, errOut := runCLI(t, env, "", "admin", "add", "orla@springfieldvotes.org", "--campaign", "987654"); !strings.Contains(errOut, "no active campaign has join code 987654 (textbankd campaign list shows them)") {
		t.Fatalf("a code no campaign had: %s", errOut)
	}
}

// TestArchiveSaysHowToReachTheResults: the final export usually follows
// the archive, and the code no longer finds the campaign, so the archive
// names the id that does; each command given that id answers.
func TestArchiveSaysHowToReachTheResults(t *testing.T) {
	env, joinCode, _ := organizerWithCampaign(t)
	_, out, _ := runCLI(t, env, "", "campaign", "list", "--json")
	var camps []struct{ ID string }
	if json.Unmarshal([]byte(out), &camps) != nil || len(camps) != 1 {
		t.Fatalf("campaign list --json: %s", out)
	}
	code, out, errOut := runCLI(t, env, "", "campaign", "archive", joinCode, "--yes")
	want := "Its conversations and results stay: give stats and the exports its id from now on, not the code (--campaign " + camps[0].ID + ").\n"
	if code != 0 || !strings.HasSuffix(out, want) {
		t.Fatalf("archive: exit %d, stdout %q, stderr %s; want it to end %q", code, out, errOut, want)
	}
	for _, args := range [][]string{
		{"stats", "--campaign", camps[0].ID, "--action-title", "Get Out The Vote"},
		{"export", "reports", "--campaign", camps[0].ID, "--action-title", "Get Out The Vote", "--latest"},
		{"export", "messages", "--campaign", camps[0].ID, "--action-title", "Get Out The Vote"},
	} {
		if code, _, errOut := runCLI(t, env, "", args...); code != 0 {
			t.Errorf("%v after the archive: exit %d, %s", args, code, errOut)
		}
	}
}
