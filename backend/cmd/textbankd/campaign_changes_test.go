package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestCampaignUpdateSaysWhatChanged: campaign update said "updated" for
// each action the file named, whether the file changed it or not. It says
// what changed, one line each (the texting hours in the words volunteers
// read them in), and "nothing changed" when nothing did.
func TestCampaignUpdateSaysWhatChanged(t *testing.T) {
	env, code, actionID := organizerWithCampaign(t)
	dir := env["TEXTBANK_DATA"]
	same := exampleVariant(t, dir, "same.yaml", "join_code: generate", "join_code: \""+code+"\"")
	exit, out, errOut := runCLI(t, env, "", "campaign", "update", same)
	if exit != 0 {
		t.Fatalf("update with the same file: %d %s %s", exit, out, errOut)
	}
	for _, want := range []string{
		`action ` + actionID + ` "Get Out The Vote": nothing changed; `,
		"\nNothing changed: the campaign and its actions were already as the file says.\n",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("update with the same file, stdout:\n%s\nwant %q", out, want)
		}
	}

	edited := exampleVariant(t, dir, "edited.yaml", "join_code: generate", "join_code: \""+code+"\"",
		"name: Springfield GOTV 2026", "name: Springfield GOTV 2026 (runoff)",
		`start: "09:00"`, `start: "10:00"`, `end: "21:00"`, `end: "20:30"`,
		"batch_size: 100", "batch_size: 50",
		"label: Sorry to bother", "label: Sorry to have bothered you",
		"      - key: household\n        label: Voters in household\n        kind: number\n", "")
	exit, out, errOut = runCLI(t, env, "", "campaign", "update", edited)
	if exit != 0 {
		t.Fatalf("update with an edited file: %d %s %s", exit, out, errOut)
	}
	for _, want := range []string{
		"\n  name: \"Springfield GOTV 2026\" → \"Springfield GOTV 2026 (runoff)\"\n",
		`action ` + actionID + ` "Get Out The Vote": changed; `,
		"\n    texting hours: 9 AM–9 PM → 10 AM–8:30 PM\n",
		"\n    batch size: 100 → 50\n",
		"\n    response scripts: changed sorry\n",
		"\n    report fields: removed household\n",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("update with an edited file, stdout:\n%s\nwant %q", out, want)
		}
	}
	if strings.Contains(out, "Nothing changed") || strings.Contains(out, "initial scripts") || strings.Contains(out, "instructions") {
		t.Fatalf("update with an edited file says more than changed:\n%s", out)
	}

	// The same again: nothing, in --json as well.
	exit, out, _ = runCLI(t, env, "", "campaign", "update", edited, "--json")
	var res struct {
		Changes []string
		Actions []struct {
			Status  string
			Changes []string
		}
	}
	if exit != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Actions) != 1 {
		t.Fatalf("--json: %d %s", exit, out)
	}
	if len(res.Changes) != 0 || res.Actions[0].Status != "updated" || len(res.Actions[0].Changes) != 0 {
		t.Fatalf("--json, the same file again: %s", out)
	}
}

// TestCampaignUpdateSaysContactFieldsAdded: a field added to an action's
// contact_fields went unsaid (the action read "nothing changed"). It is
// said in the same words as the lists above, in --json's changes too;
// the same file again, or one leaving a field out (the action keeps its
// fields: contacts may have been loaded with them), changes nothing.
func TestCampaignUpdateSaysContactFieldsAdded(t *testing.T) {
	env, code, actionID := organizerWithCampaign(t)
	dir := env["TEXTBANK_DATA"]
	joinCode := []string{"join_code: generate", "join_code: \"" + code + "\""}
	added := exampleVariant(t, dir, "added.yaml", append(joinCode,
		"contact_fields: [precinct, polling_place]", "contact_fields: [precinct, polling_place, ward, county]")...)
	exit, out, errOut := runCLI(t, env, "", "campaign", "update", added)
	if exit != 0 {
		t.Fatalf("update adding fields: %d %s %s", exit, out, errOut)
	}
	for _, want := range []string{
		`action ` + actionID + ` "Get Out The Vote": changed; `,
		"\n    contact fields: added county, ward\n",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("update adding fields, stdout:\n%s\nwant %q", out, want)
		}
	}
	if strings.Contains(out, "Nothing changed") {
		t.Fatalf("update adding fields says nothing changed:\n%s", out)
	}

	for _, file := range []struct {
		name, path string
		want       []string
	}{
		{"a file adding a field", exampleVariant(t, dir, "district.yaml", append(joinCode,
			"contact_fields: [precinct, polling_place]", "contact_fields: [precinct, polling_place, ward, county, district]")...),
			[]string{"contact fields: added district"}},
		{"the same file again", exampleVariant(t, dir, "district.yaml", append(joinCode,
			"contact_fields: [precinct, polling_place]", "contact_fields: [precinct, polling_place, ward, county, district]")...), nil},
		{"a file leaving fields out", exampleVariant(t, dir, "fewer.yaml", append(joinCode,
			"contact_fields: [precinct, polling_place]", "contact_fields: [polling_place, precinct]")...), nil},
	} {
		exit, out, errOut = runCLI(t, env, "", "campaign", "update", file.path, "--json")
		var res struct {
			Actions []struct {
				Status  string
				Changes []string
			}
		}
		if exit != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Actions) != 1 {
			t.Fatalf("%s, --json: %d %s %s", file.name, exit, out, errOut)
		}
		if res.Actions[0].Status != "updated" || !slices.Equal(res.Actions[0].Changes, file.want) {
			t.Fatalf("%s, --json: %s", file.name, out)
		}
	}
}
