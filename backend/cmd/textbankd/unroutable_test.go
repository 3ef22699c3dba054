package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestUnroutableNamesTheCampaign: each unroutable text says which campaign
// it was for, by the pool that has the number it reached, marked when
// archived; "-" (--json: "") when no pool has the number.
func TestUnroutableNamesTheCampaign(t *testing.T) {
	env := map[string]string{"TEXTBANK_DATA": seedCampaign(t)} // a text to +12025550100
	check := func(wantText, wantCode, wantCampaign string, wantArchived bool) {
		t.Helper()
		code, out, errOut := runCLI(t, env, "", "unroutable")
		if code != 0 || !strings.Contains(out, "CAMPAIGN") || !strings.Contains(strings.Join(strings.Fields(out), " "), "+12025550100 "+wantText+" who is this?") {
			t.Fatalf("unroutable: %d\n%s%s\nwant %q", code, out, errOut, wantText)
		}
		code, out, _ = runCLI(t, env, "", "unroutable", "--json")
		var rows []UnroutableText
		if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 ||
			rows[0].JoinCode != wantCode || rows[0].Campaign != wantCampaign || rows[0].Archived != wantArchived {
			t.Fatalf("unroutable --json: %d %s", code, out)
		}
	}
	check("-", "", "", false)
	if code, _, errOut := runCLI(t, env, "", "numbers", "add", "--campaign", "424242", "+12025550100"); code != 0 {
		t.Fatalf("numbers add: %s", errOut)
	}
	check("424242 Turnout", "424242", "Turnout", false)
	if code, _, errOut := runCLI(t, env, "", "campaign", "archive", "424242"); code != 0 {
		t.Fatalf("archive: %s", errOut)
	}
	check("424242 Turnout (archived)", "424242", "Turnout", true)
}
