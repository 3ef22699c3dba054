package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/textbank/textbank/backend/contactcsv"
)

// TestImportSummaryListsEveryScript: a script that drew no contact is
// listed with 0, in text and --json, so the A/B split reads right.
func TestImportSummaryListsEveryScript(t *testing.T) {
	env, _, actionID := organizerWithCampaign(t)
	one := writeFile(t, env["TEXTBANK_DATA"], "one.csv", contactcsv.Synthetic(1))
	code, out, errOut := runCLI(t, env, "", "contacts", "import", one, "--action", actionID)
	if code != 0 || strings.Count(out, "initial script ") != 2 || !strings.Contains(out, "0 contacts\n") || !strings.Contains(out, "1 contact\n") {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}
	// Again: every number is already loaded, and both scripts show 0.
	code, out, _ = runCLI(t, env, "", "contacts", "import", one, "--action", actionID, "--json")
	var res struct{ PerScript map[string]int }
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.PerScript) != 2 || res.PerScript["0"]+res.PerScript["1"] != 0 {
		t.Fatalf("import --json: %d %s", code, out)
	}
}
