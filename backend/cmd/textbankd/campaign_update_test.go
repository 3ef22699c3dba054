package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// exampleVariant writes examples/campaign.yaml with each old string
// replaced by its new one, for tests that need a second campaign or an
// edited file.
func exampleVariant(t *testing.T, dir, name string, oldNew ...string) string {
	t.Helper()
	raw, err := os.ReadFile("../../../examples/campaign.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	for i := 0; i < len(oldNew); i += 2 {
		if !strings.Contains(s, oldNew[i]) {
			t.Fatalf("examples/campaign.yaml has no %q", oldNew[i])
		}
		s = strings.ReplaceAll(s, oldNew[i], oldNew[i+1])
	}
	return writeFile(t, dir, name, s)
}

// exampleLine is the line of examples/campaign.yaml holding text, which
// must be on one line only: the refusals' places follow the file as it is
// edited, rather than line numbers written down once.
func exampleLine(t *testing.T, text string) int {
	t.Helper()
	raw, err := os.ReadFile("../../../examples/campaign.yaml")
	if err != nil {
		t.Fatal(err)
	}
	line := 0
	for i, l := range strings.Split(string(raw), "\n") {
		if strings.Contains(l, text) {
			if line != 0 {
				t.Fatalf("examples/campaign.yaml has %q on lines %d and %d", text, line, i+1)
			}
			line = i + 1
		}
	}
	if line == 0 {
		t.Fatalf("examples/campaign.yaml has no %q", text)
	}
	return line
}

// campaignNames lists the active campaigns' "CODE NAME".
func campaignNames(t *testing.T, env map[string]string) []string {
	t.Helper()
	code, out, _ := runCLI(t, env, "", "campaign", "list", "--json")
	var list []struct{ JoinCode, Name string }
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil {
		t.Fatalf("campaign list: %d %s", code, out)
	}
	var names []string
	for _, c := range list {
		names = append(names, c.JoinCode+" "+c.Name)
	}
	return names
}

// TestCampaignUpdateRefusesAnotherCampaignsName: campaign update may not
// rename a campaign onto the name of another active campaign of its
// organization (create refuses that too), and changes nothing; renaming
// onto its own name, or onto an archived campaign's, is fine.
func TestCampaignUpdateRefusesAnotherCampaignsName(t *testing.T) {
	env, firstCode, _ := organizerWithCampaign(t)
	dir := env["TEXTBANK_DATA"]
	second := exampleVariant(t, dir, "second.yaml", "name: Springfield GOTV 2026", "name: Springfield Canvass", "join_code: generate", "join_code: 111222")
	if code, out, errOut := runCLI(t, env, "", "campaign", "create", second); code != 0 {
		t.Fatalf("second campaign: %d %s %s", code, out, errOut)
	}
	before := campaignNames(t, env)
	clash := exampleVariant(t, dir, "clash.yaml", "join_code: generate", "join_code: 111222", "title: Get Out The Vote", "title: Canvass")
	code, out, errOut := runCLI(t, env, "", "campaign", "update", clash)
	want := `campaign.name (line 18): "Springfield Votes" already has another active campaign named "Springfield GOTV 2026" (join code ` + firstCode +
		`); give this one another name (or archive that one first: campaign archive ` + firstCode + ` --yes)`
	if code != 1 || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d, stdout %s, stderr:\n%s\nwant %q", code, out, errOut, want)
	}
	if after := campaignNames(t, env); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Fatalf("a refused update changed the campaigns: %v, was %v", after, before)
	}
	code, out, _ = runCLI(t, env, "", "campaign", "update", clash, "--json")
	var failure struct {
		Problems []struct{ Path, Message string }
	}
	if code != 1 || json.Unmarshal([]byte(out), &failure) != nil || len(failure.Problems) != 1 || failure.Problems[0].Path != "campaign.name" {
		t.Fatalf("--json: %d %s", code, out)
	}
	// Its own name again is no clash.
	if code, out, errOut := runCLI(t, env, "", "campaign", "update", exampleVariant(t, dir, "same.yaml", "name: Springfield GOTV 2026", "name: Springfield Canvass",
		"join_code: generate", "join_code: 111222")); code != 0 {
		t.Fatalf("updating with its own name: %d %s %s", code, out, errOut)
	}
	// Once the other campaign is archived, its name is free.
	if code, _, errOut := runCLI(t, env, "", "campaign", "archive", firstCode, "--yes"); code != 0 {
		t.Fatalf("archive: %s", errOut)
	}
	if code, out, errOut := runCLI(t, env, "", "campaign", "update", clash); code != 0 || !strings.Contains(out, `Updated campaign "Springfield GOTV 2026"`) {
		t.Fatalf("rename onto an archived campaign's name: %d %s %s", code, out, errOut)
	}
}

// TestCampaignUpdateKeepsScriptsInPlace: contacts keep their initial script
// by its place in the list, so once contacts are loaded an update that puts
// a new script first (moving the old ones down) is refused and changes
// nothing: it would send the new text to contacts drawn to the old first
// script, and count their past sends under it. A script added at the end
// is fine.
func TestCampaignUpdateKeepsScriptsInPlace(t *testing.T) {
	env, joinCode, actionID := organizerWithCampaign(t)
	dir := env["TEXTBANK_DATA"]
	csv := writeFile(t, dir, "c.csv", "first_name,last_name,cell\nAda,Lovelace,2175550100\nBob,Lee,2175550101\n")
	if code, _, errOut := runCLI(t, env, "", "contacts", "import", csv, "--action", actionID); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	stats := func() string {
		_, out, _ := runCLI(t, env, "", "stats", "--action", actionID)
		return out
	}
	before := stats()
	const newScript = "      - \"Hi {first_name|friend}, a new opener.\"\n"
	first := exampleVariant(t, dir, "first.yaml", "join_code: generate", "join_code: \""+joinCode+"\"",
		"    scripts:\n", "    scripts:\n"+newScript)
	code, out, errOut := runCLI(t, env, "", "campaign", "update", first)
	// The new script takes the line after "scripts:", the old ones the two after it.
	scripts := exampleLine(t, "    scripts:")
	for _, want := range []string{
		fmt.Sprintf("actions[0].scripts[1] (line %d): this is initial script 1 moved to place 2; the action's 2 contacts keep their script by its place", scripts+2),
		fmt.Sprintf("actions[0].scripts[2] (line %d): this is initial script 2 moved to place 3;", scripts+3),
	} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Fatalf("exit %d, stdout %s, stderr:\n%s\nwant %q", code, out, errOut, want)
		}
	}
	if after := stats(); after != before {
		t.Fatalf("a refused update changed the scripts:\n%s\nwas\n%s", after, before)
	}
	last := exampleVariant(t, dir, "last.yaml", "join_code: generate", "join_code: \""+joinCode+"\"",
		"    response_scripts:\n", newScript+"    response_scripts:\n")
	if code, out, errOut := runCLI(t, env, "", "campaign", "update", last); code != 0 {
		t.Fatalf("a script added at the end: %d %s %s", code, out, errOut)
	}
	if after := stats(); !strings.Contains(after, "script 3: Hi {first_name|friend}, a new opener.") {
		t.Fatalf("stats after adding a third script:\n%s", after)
	}
}

// TestCampaignUpdateNewFieldNeedsFallback: once contacts are loaded, an
// update may not make a script need a contact field no import brought
// (declared in contact_fields now, used without a fallback): none of the
// loaded contacts has it, so the hand-out would pass over every one of
// them. With a fallback it is fine.
func TestCampaignUpdateNewFieldNeedsFallback(t *testing.T) {
	env, joinCode, actionID := organizerWithCampaign(t)
	dir := env["TEXTBANK_DATA"]
	csv := writeFile(t, dir, "c.csv", "first_name,last_name,cell\nAda,Lovelace,2175550100\nBob,Lee,2175550101\n")
	if code, _, errOut := runCLI(t, env, "", "contacts", "import", csv, "--action", actionID); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	variant := func(name, ward string) string {
		return exampleVariant(t, dir, name, "join_code: generate", "join_code: \""+joinCode+"\"",
			"contact_fields: [precinct, polling_place]", "contact_fields: [precinct, polling_place, ward]",
			"Will you vote on Tuesday?", "Will you vote in ward "+ward+" on Tuesday?",
			"body: \"Sorry to bother you. Have a good day!\"", "body: \"Sorry, ward "+ward+".\"")
	}
	code, out, errOut := runCLI(t, env, "", "campaign", "update", variant("noward.yaml", "{ward}"))
	script0, sorry := exampleLine(t, "Will you vote on Tuesday?"), exampleLine(t, "Sorry to bother you. Have a good day!")
	for _, want := range []string{
		fmt.Sprintf("actions[0].scripts[0] (line %d): {ward} has no fallback, but the action's 2 contacts were loaded without a ward column, so this script could not be filled in for them; write {ward|...}", script0),
		fmt.Sprintf("actions[0].response_scripts[2].body (line %d): {ward} has no fallback", sorry),
	} {
		if code != 1 || !strings.Contains(errOut, want) {
			t.Fatalf("exit %d, stdout %s, stderr:\n%s\nwant %q", code, out, errOut, want)
		}
	}
	if strings.Contains(errOut, "scripts[1]") {
		t.Fatalf("a script that does not use the field is named:\n%s", errOut)
	}
	if code, out, errOut := runCLI(t, env, "", "campaign", "update", variant("ward.yaml", "{ward|on your card}")); code != 0 {
		t.Fatalf("with a fallback: %d %s %s", code, out, errOut)
	}
	// Declared by that update, the field is known to the action, yet no
	// contact has a value for it: its fallback still cannot go.
	code, out, errOut = runCLI(t, env, "", "campaign", "update", variant("noward2.yaml", "{ward}"))
	want := fmt.Sprintf("actions[0].scripts[0] (line %d): {ward} has no fallback, but none of the action's 2 contacts has a ward value", script0)
	if code != 1 || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d, stdout %s, stderr:\n%s\nwant %q", code, out, errOut, want)
	}
	// Once an import brings ward values, the fallback may go.
	more := writeFile(t, dir, "more.csv", "first_name,last_name,cell,ward\nCy,Young,2175550102,7\n")
	if code, _, errOut := runCLI(t, env, "", "contacts", "import", more, "--action", actionID); code != 0 {
		t.Fatalf("import with ward: %s", errOut)
	}
	if code, out, errOut := runCLI(t, env, "", "campaign", "update", variant("noward3.yaml", "{ward}")); code != 0 {
		t.Fatalf("with ward values loaded: %d %s %s", code, out, errOut)
	}
}

// TestCampaignUpdateNamesActionsLeftOut: an update removes no action, so an
// action the file leaves out (deleted from it, or renamed without its id)
// is listed as kept, in text and --json, rather than passed over in
// silence while volunteers still see it.
func TestCampaignUpdateNamesActionsLeftOut(t *testing.T) {
	env, joinCode, actionID := organizerWithCampaign(t)
	renamed := exampleVariant(t, env["TEXTBANK_DATA"], "renamed.yaml", "join_code: generate", "join_code: \""+joinCode+"\"",
		"title: Get Out The Vote", "title: Vote Early")
	code, out, errOut := runCLI(t, env, "", "campaign", "update", renamed)
	want := "  action " + actionID + ` "Get Out The Vote": not in the file, left as it was (an update removes no action)`
	if code != 0 || !strings.Contains(out, `"Vote Early": created`) || !strings.Contains(out, want) {
		t.Fatalf("exit %d, stdout:\n%s\nstderr %s\nwant %q", code, out, errOut, want)
	}
	code, out, _ = runCLI(t, env, "", "campaign", "update", renamed, "--json")
	var res struct {
		Actions []struct{ ID, Title, Status string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Actions) != 2 ||
		res.Actions[0].Status != "updated" || res.Actions[1].ID != actionID || res.Actions[1].Status != "kept" {
		t.Fatalf("--json: %d %s", code, out)
	}
}

// TestCampaignUpdateStandardFieldNeedsFallback: a script edited to use
// {zip} (or a name) without a fallback, after contacts were loaded with no
// zip at all, is refused as a custom field's would be (the import would
// have refused such a file); with zips loaded, or a fallback, it goes.
func TestCampaignUpdateStandardFieldNeedsFallback(t *testing.T) {
	env, joinCode, actionID := organizerWithCampaign(t)
	dir := env["TEXTBANK_DATA"]
	csv := writeFile(t, dir, "c.csv", "first_name,last_name,cell\nAda,Lovelace,2175550100\nBob,Lee,2175550101\n")
	if code, _, errOut := runCLI(t, env, "", "contacts", "import", csv, "--action", actionID); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	variant := func(name, zip string) string {
		return exampleVariant(t, dir, name, "join_code: generate", "join_code: \""+joinCode+"\"",
			"Will you vote on Tuesday?", "Will you vote in "+zip+" on Tuesday?")
	}
	code, out, errOut := runCLI(t, env, "", "campaign", "update", variant("nozip.yaml", "{zip}"))
	want := fmt.Sprintf("actions[0].scripts[0] (line %d): {zip} has no fallback, but none of the action's 2 contacts has a zip value", exampleLine(t, "Will you vote on Tuesday?"))
	if code != 1 || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d, stdout %s, stderr:\n%s\nwant %q", code, out, errOut, want)
	}
	if code, out, errOut := runCLI(t, env, "", "campaign", "update", variant("zipfb.yaml", "{zip|your area}")); code != 0 {
		t.Fatalf("with a fallback: %d %s %s", code, out, errOut)
	}
	// Names are there: {full_name} without a fallback is fine.
	if code, out, errOut := runCLI(t, env, "", "campaign", "update", variant("name.yaml", "{full_name}'s area")); code != 0 {
		t.Fatalf("{full_name} with names loaded: %d %s %s", code, out, errOut)
	}
	more := writeFile(t, dir, "more.csv", "first_name,last_name,cell,zip\nCy,Young,2175550102,62701\n")
	if code, _, errOut := runCLI(t, env, "", "contacts", "import", more, "--action", actionID); code != 0 {
		t.Fatalf("import with a zip: %s", errOut)
	}
	if code, out, errOut := runCLI(t, env, "", "campaign", "update", variant("zip.yaml", "{zip}")); code != 0 {
		t.Fatalf("with a zip loaded: %d %s %s", code, out, errOut)
	}
}

// TestCampaignUpdateOfAnArchivedCampaign: an update naming the code of a
// campaign archived since says so, rather than that no campaign has the
// code (the organizer holding last month's file knows one did), and
// changes nothing.
func TestCampaignUpdateOfAnArchivedCampaign(t *testing.T) {
	env, joinCode, _ := organizerWithCampaign(t)
	if code, _, errOut := runCLI(t, env, "", "campaign", "archive", joinCode, "--yes"); code != 0 {
		t.Fatalf("archive: %s", errOut)
	}
	file := exampleVariant(t, env["TEXTBANK_DATA"], "update.yaml", "join_code: generate", "join_code: \""+joinCode+"\"", "issue: Get out the vote", "issue: Changed")
	code, out, errOut := runCLI(t, env, "", "campaign", "update", file)
	want := "no active campaign has join code " + joinCode + `: it was "Springfield GOTV 2026"'s, which is archived, and an archived campaign cannot be changed; campaign create makes a new one`
	if code != 1 || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d, stdout %s, stderr:\n%s\nwant %q", code, out, errOut, want)
	}
	if _, out, _ := runCLI(t, env, "", "campaign", "list", "--all", "--json"); strings.Contains(out, "Changed") {
		t.Fatalf("a refused update changed the archived campaign:\n%s", out)
	}
	// A code no campaign ever had reads as before.
	other := exampleVariant(t, env["TEXTBANK_DATA"], "other.yaml", "join_code: generate", `join_code: "987654"`)
	if _, _, errOut := runCLI(t, env, "", "campaign", "update", other); !strings.Contains(errOut, "no active campaign has join code 987654; campaign create makes a new one") {
		t.Fatalf("unknown code: %s", errOut)
	}
}
