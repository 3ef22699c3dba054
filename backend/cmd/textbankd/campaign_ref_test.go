package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEveryCommandTakesACampaignsCodeOrID: every command that names a
// campaign reads it as stats and the exports do (server.CampaignByRef): a
// join code or the campaign's id. contacts release and conversations
// reassign reach an archived campaign by its id (its volunteers still get
// replies to hand over; they answered "join code must be exactly 6
// digits" before); the commands that change a campaign take an active
// one's id and refuse an archived one's by name. A retired code and a value
// that is neither are refused in the same words by each, and nothing
// stored changes.
func TestEveryCommandTakesACampaignsCodeOrID(t *testing.T) {
	env, code0, _ := organizerWithCampaign(t)
	_, out, _ := runCLI(t, env, "", "campaign", "list", "--json")
	var camps []struct{ ID string }
	if json.Unmarshal([]byte(out), &camps) != nil || len(camps) != 1 {
		t.Fatalf("campaign list --json: %s", out)
	}
	id := camps[0].ID
	_, out, errOut := runCLI(t, env, "", "campaign", "new-code", code0, "--yes", "--json")
	var fresh struct{ JoinCode string }
	if json.Unmarshal([]byte(out), &fresh) != nil || fresh.JoinCode == "" {
		t.Fatalf("new-code: %s %s", out, errOut)
	}
	stored := func() string {
		var b strings.Builder
		for _, args := range [][]string{{"campaign", "list", "--all", "--json"}, {"users", "list", "--json"}, {"numbers", "list", "--json"}} {
			_, out, _ := runCLI(t, env, "", args...)
			b.WriteString(out)
		}
		return b.String()
	}
	// ref is what --campaign (or campaign's CODE) is given.
	commands := func(ref string) [][]string {
		return [][]string{
			{"conversations", "reassign", "orla@springfieldvotes.org", "--campaign", ref},
			{"contacts", "release", "orla@springfieldvotes.org", "--campaign", ref},
			{"admin", "add", "orla@springfieldvotes.org", "--campaign", ref},
			{"admin", "remove", "orla@springfieldvotes.org", "--campaign", ref},
			{"numbers", "add", "--campaign", ref, "+12175550199"},
			{"numbers", "remove", "--campaign", ref, "+12175550199"},
			{"numbers", "list", "--campaign", ref},
			{"unroutable", "--campaign", ref},
			{"stats", "--campaign", ref, "--action-title", "Get Out The Vote"},
			{"export", "messages", "--campaign", ref, "--action-title", "Get Out The Vote"},
			{"campaign", "archive", ref, "--yes"},
			{"campaign", "new-code", ref, "--yes"},
		}
	}
	refused := func(ref, want string) {
		t.Helper()
		before := stored()
		for _, args := range commands(ref) {
			if code, out, errOut := runCLI(t, env, "", args...); code != 1 || !strings.Contains(errOut, want) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", args, code, out, errOut, want)
			}
		}
		if after := stored(); after != before {
			t.Errorf("refusals of %q changed what is stored:\nbefore %s\nafter  %s", ref, before, after)
		}
	}
	refused(code0, "no active campaign has join code "+code0+`: campaign new-code gave "Springfield GOTV 2026" the code `+fresh.JoinCode+" in its place; give "+fresh.JoinCode+" instead")
	for _, bad := range []string{"12345", "48291x", "no-such-campaign", id + "0"} {
		refused(bad, `no campaign has join code or id "`+bad+`" (textbankd campaign list --all shows both)`)
	}

	// The active campaign's id names it as its code does.
	for _, args := range [][]string{
		{"admin", "add", "orla@springfieldvotes.org", "--campaign", id},
		{"numbers", "add", "--campaign", id, "+12175550101"},
		{"numbers", "list", "--campaign", id},
		{"conversations", "reassign", "orla@springfieldvotes.org", "--campaign", id},
		{"contacts", "release", "orla@springfieldvotes.org", "--campaign", id},
	} {
		if code, _, errOut := runCLI(t, env, "", args...); code != 0 {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
	if code, _, errOut := runCLI(t, env, "", "campaign", "archive", id); code != 1 || !strings.Contains(errOut, "join code "+fresh.JoinCode+` is "Springfield GOTV 2026"`) {
		t.Fatalf("archive by id without --yes: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, env, "", "campaign", "archive", id, "--yes"); code != 0 {
		t.Fatalf("archive by id: exit %d, %s", code, errOut)
	}

	// Archived: its volunteers' part is still handed over by its id.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"conversations", "reassign", "orla@springfieldvotes.org", "--campaign", id}, `orla@springfieldvotes.org holds no conversations in "Springfield GOTV 2026"`},
		{[]string{"contacts", "release", "orla@springfieldvotes.org", "--campaign", id}, `in "Springfield GOTV 2026"`},
	} {
		if code, out, errOut := runCLI(t, env, "", tc.args...); code != 0 || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", tc.args, code, out, errOut, tc.want)
		}
	}
	// What changes a campaign refuses it by name.
	before := stored()
	for _, args := range [][]string{
		{"admin", "add", "orla@springfieldvotes.org", "--campaign", id},
		{"admin", "remove", "orla@springfieldvotes.org", "--campaign", id},
		{"numbers", "add", "--campaign", id, "+12175550102"},
		{"numbers", "remove", "--campaign", id, "+12175550101"},
		{"campaign", "archive", id, "--yes"},
		{"campaign", "new-code", id, "--yes"},
	} {
		want := `campaign "Springfield GOTV 2026" (id ` + id + `) is archived, and this works only on an active campaign`
		if code, out, errOut := runCLI(t, env, "", args...); code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", args, code, out, errOut, want)
		}
	}
	if after := stored(); after != before {
		t.Errorf("refusals of the archived campaign changed what is stored:\nbefore %s\nafter  %s", before, after)
	}
}
