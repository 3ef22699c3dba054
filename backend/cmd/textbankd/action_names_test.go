package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/contactcsv"
)

// TestActionAndCampaignMustAgree: --action given with --campaign and/or
// --action-title (one left in the environment, say) must name the same
// action, or the command refuses, naming both, and changes nothing. When
// they agree, it goes ahead.
func TestActionAndCampaignMustAgree(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TEXTBANK_DATA": dir}
	if code, out, errOut := runCLI(t, env, "correct horse battery\n", "users", "add", "orla@springfieldvotes.org", "--name", "Orla Organizer"); code != 0 {
		t.Fatalf("users add: %s %s", out, errOut)
	}
	raw, err := os.ReadFile("../../../examples/campaign.yaml")
	if err != nil {
		t.Fatal(err)
	}
	second := writeFile(t, dir, "b.yaml", strings.Replace(string(raw), "name: Springfield GOTV 2026", "name: Shelbyville GOTV 2026", 1))
	type created struct {
		JoinCode string
		Actions  []struct{ ID, Title string }
	}
	var a, b created
	code, out, errOut := runCLI(t, env, "", "campaign", "create", "../../../examples/campaign.yaml", "--json")
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil {
		t.Fatalf("create a: %s %s", out, errOut)
	}
	code, out, errOut = runCLI(t, env, "", "campaign", "create", second, "--json")
	if code != 0 || json.Unmarshal([]byte(out), &b) != nil {
		t.Fatalf("create b: %s %s", out, errOut)
	}
	csvPath := writeFile(t, dir, "contacts.csv", contactcsv.Synthetic(5))

	code, _, errOut = runCLI(t, env, "", "contacts", "import", csvPath, "--action", a.Actions[0].ID, "--campaign", b.JoinCode, "--action-title", b.Actions[0].Title)
	if code == 0 || !strings.Contains(errOut, "--action "+a.Actions[0].ID+" is not an action of campaign "+b.JoinCode) {
		t.Fatalf("import into A's action with B's campaign named: exit %d %s", code, errOut)
	}
	code, _, errOut = runCLI(t, env, "", "stats", "--action", a.Actions[0].ID, "--action-title", "Persuasion")
	if code == 0 || !strings.Contains(errOut, `is titled "`+a.Actions[0].Title+`", not "Persuasion"`) {
		t.Fatalf("stats with a title that is not the action's: exit %d %s", code, errOut)
	}
	code, out, errOut = runCLI(t, env, "", "stats", "--action", a.Actions[0].ID, "--json")
	if code != 0 || !strings.Contains(out, `"contacts": 0`) && !strings.Contains(out, `"contacts":0`) {
		t.Fatalf("stats of A's action after the refused import: exit %d %s %s", code, out, errOut)
	}
	// Agreeing names are fine, with the environment's TEXTBANK_CAMPAIGN too.
	env["TEXTBANK_CAMPAIGN"] = a.JoinCode
	if code, out, errOut := runCLI(t, env, "", "contacts", "import", csvPath, "--action", a.Actions[0].ID); code != 0 {
		t.Fatalf("import with --action and a matching TEXTBANK_CAMPAIGN: exit %d %s %s", code, out, errOut)
	}
}
